import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { Probot, ProbotOctokit } from "probot";
import type { PipelineGateway } from "../../src/codepipeline/pipeline-gateway.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueConsumer, type QueueConsumer } from "../../src/intake/create-queue-consumer.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import type { RetryOptions } from "../../src/intake/retry-transient.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { githubApi } from "../helpers/github-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";

export interface HarnessOptions {
  visibilityTimeoutSeconds?: number;
  /** With a dead-letter queue: receives before SQS moves a message there. */
  maxReceiveCount?: number;
  retry?: RetryOptions;
  Octokit?: typeof ProbotOctokit;
  pipelines?: PipelineGateway;
  batchSize?: number;
  maxInHand?: number;
  waitTimeSeconds?: number;
  /** Wraps the production handler, e.g. to kill the "process" between its work and the delete. */
  wrapHandle?: (handle: (message: Message) => Promise<void>) => (message: Message) => Promise<void>;
}

/**
 * The real queue path: a local SQS server (real visibility timeouts, redelivery and dead-letter
 * redrive), the production consumer and message handler, GitHub and AWS intercepted by nock.
 */
export async function startQueueHarness({
  // local-aws-sqs starts the visibility clock when a long poll begins, not when it answers, and
  // holds the poll open until the batch is full: with a batch of one, the poll answers at once.
  visibilityTimeoutSeconds = 2,
  maxReceiveCount,
  retry = { baseDelayMs: 20 },
  Octokit = TestOctokit,
  pipelines = createTestPipelineGateway(),
  batchSize = 1,
  maxInHand,
  waitTimeSeconds = 1,
  wrapHandle = (handle) => handle,
}: HarnessOptions = {}) {
  const sqsServer = await startLocalSqs();
  // The consumer's own client, so the SQS requests it makes can be told from the test's.
  const consumerSqs = new SQSClient({
    region: "us-east-1",
    endpoint: sqsServer.endpoint,
    maxAttempts: 1,
  });
  const sqsCalls: string[] = [];
  consumerSqs.middlewareStack.add(
    (next, context) => (args) => {
      sqsCalls.push(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "recordCommandNames" },
  );
  let deadLetterUrl: string | undefined;
  const attributes: Record<string, string> = {
    VisibilityTimeout: String(visibilityTimeoutSeconds),
  };
  if (maxReceiveCount) {
    deadLetterUrl = await sqsServer.createQueue();
    const { Attributes } = await sqsServer.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["QueueArn"] }),
    );
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: Attributes?.QueueArn,
      maxReceiveCount: String(maxReceiveCount),
    });
  }
  const queueUrl = await sqsServer.createQueue(attributes);
  const { log, lines, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit, log });
  const handle = createQueueMessageHandler({
    pipelines,
    github: createInstallationClients(probot),
    log,
    appId,
    retry,
    settleMs: 0,
  });
  let consumer: QueueConsumer | undefined;
  const startConsumer = () => {
    consumer = createQueueConsumer({
      queueUrl,
      sqs: consumerSqs,
      handle: wrapHandle(handle),
      log,
      batchSize,
      ...(maxInHand ? { maxInHand } : {}),
      visibilityTimeoutSeconds,
      waitTimeSeconds,
      stopTimeoutMs: 10_000,
    });
    consumer.start();
    return consumer;
  };

  return {
    queueUrl,
    deadLetterUrl,
    sqs: sqsServer.sqs,
    /** The SQS operations the consumer called, in order ("ReceiveMessage", "DeleteMessageBatch", …). */
    sqsCalls,
    lines,
    messages,
    handle,
    startConsumer,
    get consumer() {
      return consumer;
    },
    send: (body: unknown) =>
      sqsServer.send(queueUrl, typeof body === "string" ? body : JSON.stringify(body)),
    count: (url = queueUrl) => sqsServer.count(url),
    /** What another consumer would get right now (visibility 0: nothing is hidden by the look). */
    async peek() {
      const out = await sqsServer.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 0,
          MaxNumberOfMessages: 10,
        }),
      );
      return out.Messages ?? [];
    },
    async stop() {
      await consumer?.stop();
      consumerSqs.destroy();
      await sqsServer.stop();
    },
  };
}

export type QueueHarness = Awaited<ReturnType<typeof startQueueHarness>>;

/** The approval notice intake posts on pull requests: this commit has none. */
export function nockNoPullRequests() {
  return githubApi()
    .persist()
    .get(/^\/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]{40}\/pulls/)
    .query(true)
    .reply(200, []);
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
