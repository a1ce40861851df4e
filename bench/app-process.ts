import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { SQSClient } from "@aws-sdk/client-sqs";
import pino from "pino";
import { createPipelineGateway } from "../src/codepipeline/pipeline-gateway.js";
import { loadConfig } from "../src/config.js";
import { createGitHubOctokit } from "../src/github/create-github-octokit.js";
import { startBridge, type Bridge } from "../src/start-bridge.js";
import { measureProcess } from "./measure-process.js";
import type { AppLogSummary, AppSetup, FromApp, ToApp } from "./protocol.js";

/**
 * The app under test: the real bridge (startBridge) in a process of its own, one per scenario,
 * started by run-bench.ts with production's node flags. Its CPU time and memory are the app's
 * alone, and no scenario inherits another's heap.
 */
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
const send = (message: FromApp) => process.send?.(message);

let running:
  | { bridge: Bridge; measure: ReturnType<typeof measureProcess>; log: () => AppLogSummary }
  | undefined;
let lifecycles = 0;

process.on("message", (message: ToApp) => {
  void handle(message).catch((error: unknown) => {
    send({
      kind: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  });
});

async function handle(message: ToApp) {
  switch (message.kind) {
    case "start": {
      const appLog = captureAppLog();
      const bridge = await start(message, appLog.log);
      running = {
        bridge,
        // Forced collections lower the peak, so only the steady load, whose heap growth per
        // lifecycle is the point, samples the heap while it runs.
        measure: measureProcess({
          heapEveryMs: message.scenario === "steady" ? 2000 : undefined,
          lifecycles: () => lifecycles,
        }),
        log: appLog.summary,
      };
      send({ kind: "started", webhookPort: bridge.port });
      return;
    }
    case "progress":
      lifecycles = message.lifecycles;
      return;
    case "stop": {
      if (!running) throw new Error("stop before start");
      const usage = running.measure.stop();
      await running.bridge.stop();
      // Exit once the message is out: clients and caches may still hold sockets and timers.
      const stopped: FromApp = { kind: "stopped", usage, log: running.log() };
      process.send?.(stopped, () => process.exit(0));
      return;
    }
  }
}

function start(setup: AppSetup, log: pino.Logger): Promise<Bridge> {
  const { endpoints } = setup;
  const config = {
    ...loadConfig({
      APP_ID: String(setup.appId),
      PRIVATE_KEY: setup.privateKey,
      WEBHOOK_SECRET: setup.webhookSecret,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      AWS_REGION: "us-east-1",
      SQS_QUEUE_URL: setup.queueUrl,
      // SQS answers a long poll as soon as messages are visible; 1 s only bounds the idle polls.
      SQS_WAIT_TIME_SECONDS: "1",
    }),
    githubBaseUrl: endpoints.github,
  };
  if (!config.github) throw new Error("the benchmark's configuration has no GitHub App");
  const pipelines = createPipelineGateway({
    createClient: (region) =>
      new CodePipelineClient({
        region,
        endpoint: endpoints.codepipeline,
        credentials,
        retryMode: "adaptive",
        maxAttempts: 4,
      }),
  });
  const sqs = new SQSClient({ region: "us-east-1", endpoint: endpoints.sqs, credentials });
  // The app's write pacing on the benchmark's clock, as the fake GitHub enforces its limits.
  const Octokit = createGitHubOctokit({ timeScale: setup.options.timeScale });
  return startBridge({ ...config, github: config.github }, { Octokit, pipelines, log, sqs });
}

/** The app's warnings and errors: counted, and the first few kept for the report. */
function captureAppLog() {
  const lines: string[] = [];
  let warnings = 0;
  let errors = 0;
  const log = pino(
    { level: "warn" },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { level: number; msg?: string };
        if (entry.level >= 50) errors += 1;
        else warnings += 1;
        if (lines.length < 5) lines.push(`${entry.level >= 50 ? "error" : "warn"}: ${entry.msg}`);
      },
    },
  );
  return { log, summary: (): AppLogSummary => ({ warnings, errors, first: lines }) };
}
