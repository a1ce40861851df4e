import { fork, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { SQSClient } from "@aws-sdk/client-sqs";
import pino from "pino";
import { createPipelineGateway } from "../src/codepipeline/pipeline-gateway.js";
import { loadConfig } from "../src/config.js";
import { createGitHubOctokit } from "../src/github/create-github-octokit.js";
import { startBridge } from "../src/start-bridge.js";
import { parseBenchOptions } from "./bench-options.js";
import { describeMachine } from "./report/describe-machine.js";
import { renderMarkdown } from "./report/render-markdown.js";
import { summarizeScenario, type ScenarioSummary } from "./report/summarize.js";
import { measureProcess } from "./measure-process.js";
import type { BenchOptions, FromWorld, ScenarioName, ToWorld, WorldResult } from "./protocol.js";

/**
 * `npm run bench`: the real app (startBridge, in this process) against fakes of GitHub,
 * CodePipeline and SQS in a second process that also drives the load. See the README, "Performance".
 */
// The SDK's notice that releases after January 2027 need Node 22 is not news for a benchmark run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { options, out } = parseBenchOptions(process.argv.slice(2));
const appId = 4242;
const webhookSecret = randomBytes(16).toString("hex");
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };

const world = fork(new URL("./world/world.js", import.meta.url), {
  env: {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    BENCH_APP_ID: String(appId),
    BENCH_TIME_SCALE: String(options.timeScale),
    BENCH_LATENCY_MS: String(options.latencyMs),
  },
});
const ready = await next(world, "ready");

const summaries: ScenarioSummary[] = [];
for (const scenario of options.scenarios) {
  process.stdout.write(`${scenario}: running…\n`);
  const summary = await runScenario(scenario, options);
  summaries.push(summary);
  process.stdout.write(
    `${scenario}: ${summary.approvals} approvals in ${(summary.wallMs / 1000).toFixed(1)} s, ` +
      `limit errors ${summary.limitErrors}, app errors ${summary.appErrors}\n`,
  );
}
send(world, { kind: "exit" });

const report = {
  generatedAt: new Date().toISOString(),
  machine: describeMachine(),
  options,
  scenarios: summaries,
};
const markdown = renderMarkdown(report);
// npm runs scripts from the package root.
const results = new URL("bench/results/", pathToFileURL(`${process.cwd()}/`));
mkdirSync(results, { recursive: true });
writeFileSync(new URL(`${out}.json`, results), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(new URL(`${out}.md`, results), markdown);
process.stdout.write(`\n${markdown}\nWritten to bench/results/${out}.json and ${out}.md\n`);
process.exit(0);

async function runScenario(scenario: ScenarioName, options: BenchOptions) {
  send(world, { kind: "prepare", scenario, options });
  const { queueUrl } = await next(world, "prepared");
  const appLog = captureAppLog();
  const sqs = new SQSClient({ region: "us-east-1", endpoint: ready.sqs, credentials });
  const pipelines = createPipelineGateway({
    createClient: (region) =>
      new CodePipelineClient({
        region,
        endpoint: ready.codepipeline,
        credentials,
        retryMode: "adaptive",
        maxAttempts: 4,
      }),
  });
  const config = {
    ...loadConfig({
      APP_ID: String(appId),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: webhookSecret,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      AWS_REGION: "us-east-1",
      SQS_QUEUE_URL: queueUrl,
      // SQS answers a long poll as soon as messages are visible; 1 s only bounds the idle polls.
      SQS_WAIT_TIME_SECONDS: "1",
    }),
    githubBaseUrl: ready.github,
  };
  if (!config.github) throw new Error("the benchmark's configuration has no GitHub App");
  // The app's write pacing on the benchmark's clock, as the fake GitHub enforces its limits.
  const Octokit = createGitHubOctokit({ timeScale: options.timeScale });
  const bridge = await startBridge(
    { ...config, github: config.github },
    { Octokit, pipelines, log: appLog.log, sqs },
  );

  let lifecycles = 0;
  const onProgress = (message: FromWorld) => {
    if (message.kind === "progress") lifecycles = message.lifecycles;
  };
  world.on("message", onProgress);
  const measure = measureProcess({ lifecycles: () => lifecycles });
  send(world, { kind: "run", webhookPort: bridge.port, webhookSecret });
  let result: WorldResult;
  try {
    ({ result } = await next(world, "result"));
  } finally {
    world.off("message", onProgress);
  }
  const usage = measure.stop();
  await bridge.stop();
  return summarizeScenario(result, usage, appLog.summary());
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
  return { log, summary: () => ({ warnings, errors, first: lines }) };
}

function send(child: ChildProcess, message: ToWorld) {
  child.send(message);
}

function next<K extends FromWorld["kind"]>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromWorld, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorld) => {
      if (message.kind === kind) {
        cleanup();
        resolve(message as Extract<FromWorld, { kind: K }>);
      } else if (message.kind === "failed") {
        cleanup();
        reject(new Error(`the world process failed: ${message.message}`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the world process exited (${code}) while waiting for ${kind}`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}
