import { fork, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseBenchOptions } from "./bench-options.js";
import { productionNodeFlags } from "./production-node-flags.js";
import { describeMachine } from "./report/describe-machine.js";
import { renderMarkdown } from "./report/render-markdown.js";
import { summarizeScenario, type ScenarioSummary } from "./report/summarize.js";
import type {
  BenchOptions,
  FromApp,
  FromWorld,
  ScenarioName,
  ToApp,
  ToWorld,
  WorldResult,
} from "./protocol.js";

/**
 * `npm run bench`: the real app (startBridge) against fakes of GitHub, CodePipeline and SQS. This
 * process only orchestrates: the fakes and the load run in the world process, and each scenario
 * gets a fresh app process (app-process.ts) started with production's node flags. See the README,
 * "Performance".
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
// The app as `npm start` and the image run it (unless a setting is being weighed), plus
// --expose-gc for the heap samples.
const appNodeFlags = options.appNodeFlags ?? productionNodeFlags();
const appExecArgv = [...appNodeFlags, "--expose-gc"];

const world = fork(new URL("./world/world.js", import.meta.url), {
  // Not this process's flags: the fakes are not what is measured.
  execArgv: [],
  env: {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    BENCH_APP_ID: String(appId),
    BENCH_TIME_SCALE: String(options.timeScale),
    BENCH_LATENCY_MS: String(options.latencyMs),
  },
});
const ready = await next<FromWorld, "ready">(world, "ready");

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
  appNodeFlags,
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
  const { queueUrl } = await next<FromWorld, "prepared">(world, "prepared");
  const app = fork(new URL("./app-process.js", import.meta.url), {
    execArgv: appExecArgv,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  try {
    send(app, {
      kind: "start",
      scenario,
      options,
      appId,
      privateKey,
      webhookSecret,
      queueUrl,
      endpoints: { github: ready.github, codepipeline: ready.codepipeline, sqs: ready.sqs },
    });
    const { webhookPort } = await next<FromApp, "started">(app, "started");
    const onProgress = (message: FromWorld) => {
      if (message.kind === "progress") send(app, message);
    };
    world.on("message", onProgress);
    send(world, { kind: "run", webhookPort, webhookSecret });
    let result: WorldResult;
    try {
      ({ result } = await next<FromWorld, "result">(world, "result"));
    } finally {
      world.off("message", onProgress);
    }
    send(app, { kind: "stop" });
    const { usage, log } = await next<FromApp, "stopped">(app, "stopped");
    return summarizeScenario(result, usage, log);
  } finally {
    app.kill();
  }
}

function send(child: ChildProcess, message: ToWorld | ToApp) {
  child.send(message);
}

function next<M extends FromWorld | FromApp, K extends M["kind"]>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<M, { kind: K }>> {
  const name = child === world ? "world" : "app";
  return new Promise((resolve, reject) => {
    const onMessage = (message: M) => {
      if (message.kind === kind) {
        cleanup();
        resolve(message as Extract<M, { kind: K }>);
      } else if (message.kind === "failed") {
        cleanup();
        reject(new Error(`the ${name} process failed: ${message.message}`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the ${name} process exited (${code}) while waiting for ${kind}`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}
