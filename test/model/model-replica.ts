import { CodePipelineClient, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import pino from "pino";
import type { ProbotOctokit } from "probot";
import { composeBridge, type BridgeParts } from "../../src/compose-bridge.js";
import {
  createPipelineGateway,
  type PipelineGateway,
} from "../../src/codepipeline/pipeline-gateway.js";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { testConfig } from "../helpers/bridge.js";
import { modelJwt } from "./github-routes.js";

/** What a replica's clients are wired to: the models, through the scheduler. */
export interface ReplicaNetwork {
  fetch: typeof fetch;
  /** CodePipeline's JSON protocol: the operation (x-amz-target) and its input → status and body. */
  codepipeline(
    target: string,
    input: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }>;
  /** A wait of the queue handler (a retry's backoff): one scheduled step. */
  sleep(): Promise<void>;
  /**
   * Only for the broken variant `skipPendingCheck`: the execution of a token whatever its state,
   * which the variant's intake uses instead of asking whether the token still waits.
   */
  executionOfToken?: (token: string) => string | undefined;
  /** Only for the broken variant `skipStaleRecheck`: a stale notification finds no execution. */
  skipStaleRecheck?: boolean;
}

export interface Replica {
  name: string;
  alive: boolean;
  parts: BridgeParts;
}

type OctokitOptions = Record<string, unknown> & {
  auth?: Record<string, unknown>;
  request?: Record<string, unknown>;
};

/**
 * One bridge process, composed exactly as production composes it (composeBridge: the Probot app
 * with its decision guard, the queue handler with its own, the installation and definition
 * caches, the per-installation write pacer), with only the wire swapped: Octokit's fetch and the
 * CodePipeline client's request handler lead to the models. The app JWT is handed out as a
 * constant (createJwt) so no RSA signing runs between scheduled steps.
 */
export async function createReplica(
  name: string,
  slot: number,
  network: ReplicaNetwork,
): Promise<Replica> {
  const Octokit = createGitHubOctokit({
    maxTransientRetries: 0,
    maxRateLimitRetries: 0,
  }).defaults((options: OctokitOptions) => {
    const { privateKey: _key, ...auth } = options.auth ?? {};
    return {
      ...options,
      auth: {
        ...auth,
        createJwt: async () => ({
          jwt: modelJwt,
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        }),
      },
      request: { ...options.request, fetch: network.fetch },
    };
  }) as typeof ProbotOctokit;
  const client = await pooledClient(slot, network);
  const parts = await composeBridge(testConfig(), {
    Octokit,
    pipelines: withVariant(createPipelineGateway({ createClient: () => client }), network),
    log: pino({ level: process.env.MODEL_LOG_LEVEL ?? "silent" }),
    metrics: createMetrics({ defaultMetrics: false }),
    // No settle window, so no late second look by the lifecycle: intake must then always read the
    // approval's state again after publishing, as production does whenever publishing outlasts
    // half the window (recheck-after-publish.ts). Leaving the recheck's default threshold here let
    // a console decision between intake's read and its create leave a pending run (seed 26736693).
    queueTiming: {
      retry: { sleep: network.sleep, random: () => 0.5 },
      settleMs: 0,
      // The broken variant `skipPendingCheck` publishes blind and never looks again.
      recheckAfterMs: network.executionOfToken ? Number.POSITIVE_INFINITY : 0,
      // Odd slots never wait for what changed: their check runs are created without it and it is
      // added later (add-changes-later.ts), a write that races every decision.
      ...(slot % 2 === 1 ? { changesBudgetMs: 0 } : {}),
    },
  });
  // As the webhook server does (createNodeMiddleware loads the app into the Probot instance).
  await parts.probot.load(parts.app);
  return { name, alive: true, parts };
}

function withVariant(pipelines: PipelineGateway, network: ReplicaNetwork): PipelineGateway {
  if (network.skipStaleRecheck) {
    return { ...pipelines, findExecutionOfToken: async () => undefined };
  }
  const executionOf = network.executionOfToken;
  if (!executionOf) return pipelines;
  return {
    ...pipelines,
    findPendingExecution: async (action, token) =>
      (await pipelines.findPendingExecution(action, token)) ?? executionOf(token),
  };
}

/**
 * CodePipeline clients, one per replica slot, kept across runs and pointed at each run's replica:
 * a client holds no state the protocol depends on (one attempt, no retry quota to spend), and
 * building one and resolving its configuration cost more than the rest of a replica.
 */
const clients: { client: CodePipelineClient; binding: { network?: ReplicaNetwork } }[] = [];

async function pooledClient(slot: number, network: ReplicaNetwork): Promise<CodePipelineClient> {
  let pooled = clients[slot];
  if (!pooled) {
    const binding: { network?: ReplicaNetwork } = {};
    pooled = { client: createModelClient(binding), binding };
    // The SDK resolves its configuration (reading ~/.aws files) at a client's first request:
    // done here, outside any run, as no step of a run may wait on real I/O.
    await pooled.client.send(new GetPipelineCommand({ name: "warm-up" })).catch(() => undefined);
    clients[slot] = pooled;
  }
  pooled.binding.network = network;
  return pooled.client;
}

function createModelClient(binding: { network?: ReplicaNetwork }): CodePipelineClient {
  // One attempt: a transient fault in the model stands for one that outlasted the SDK's retries.
  return new CodePipelineClient({
    region: "us-east-1",
    endpoint: "https://codepipeline.us-east-1.amazonaws.com",
    credentials: { accessKeyId: "AKIDMODEL", secretAccessKey: "model" },
    maxAttempts: 1,
    retryMode: "standard",
    defaultsMode: "standard",
    useDualstackEndpoint: false,
    useFipsEndpoint: false,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const target = Object.entries(request.headers)
          .find(([key]) => key.toLowerCase() === "x-amz-target")?.[1]
          ?.split(".")[1];
        const text =
          typeof request.body === "string"
            ? request.body
            : request.body instanceof Uint8Array
              ? new TextDecoder().decode(request.body)
              : "{}";
        const input = JSON.parse(text || "{}") as Record<string, unknown>;
        const network = binding.network;
        const reply = network
          ? await network.codepipeline(target ?? "", input)
          : { status: 400, body: { __type: "PipelineNotFoundException", message: "warm-up" } };
        const body = reply.body as { __type?: string };
        return {
          response: {
            statusCode: reply.status,
            reason: "",
            headers: {
              "content-type": "application/x-amz-json-1.1",
              ...(body.__type ? { "x-amzn-errortype": body.__type } : {}),
            },
            body: new TextEncoder().encode(JSON.stringify(reply.body)),
          },
        };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      destroy: () => {},
    },
  });
}
