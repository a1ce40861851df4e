import type { BenchOptions, FromWorld, ScenarioName, ToWorld } from "../protocol.js";
import type { World } from "./drive.js";
import { startFakeCodePipeline } from "./fake-codepipeline.js";
import { startFakeGitHub } from "./fake-github.js";
import { startFakeSqs } from "./fake-sqs.js";
import { prepareScenario, runScenario } from "./scenarios.js";
import { WorldModel } from "./world-model.js";

/**
 * The world process: fakes of GitHub, CodePipeline and SQS, and the load driver. It runs apart
 * from the app so that the app's process measures the app alone (its CPU time and memory).
 */
const appId = Number(process.env.BENCH_APP_ID);
const timeScale = Number(process.env.BENCH_TIME_SCALE);
let latency = Number(process.env.BENCH_LATENCY_MS);
const latencyMs = () => latency;
let model = new WorldModel();

const github = await startFakeGitHub({ appId, timeScale, latencyMs, model: () => model });
const codepipeline = await startFakeCodePipeline(() => model, latencyMs);
const sqs = await startFakeSqs(latencyMs);

const send = (message: FromWorld) => process.send?.(message);
let prepared: { scenario: ScenarioName; options: BenchOptions; queueUrl: string } | undefined;

process.on("message", (message: ToWorld) => {
  void handle(message).catch((error: unknown) => {
    send({
      kind: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  });
});

async function handle(message: ToWorld) {
  switch (message.kind) {
    case "prepare": {
      github.reset();
      codepipeline.reset();
      sqs.calls.reset();
      model = new WorldModel();
      latency = message.options.latencyMs;
      const queueUrl = await sqs.createQueue();
      prepared = { scenario: message.scenario, options: message.options, queueUrl };
      prepareScenario(worldFor(prepared, { port: 0, secret: "" }), message.scenario);
      send({ kind: "prepared", queueUrl });
      return;
    }
    case "run": {
      if (!prepared) throw new Error("run before prepare");
      const world = worldFor(prepared, {
        port: message.webhookPort,
        secret: message.webhookSecret,
      });
      const outcome = await runScenario(world, prepared.scenario);
      const peaks = [...github.limits.values()];
      send({
        kind: "result",
        result: {
          scenario: prepared.scenario,
          ...outcome,
          github: {
            tokensIssued: github.tokensIssued.snapshot(),
            limitErrors: github.limitErrors.snapshot(),
            unhandled: github.unhandled.snapshot(),
            peakContentPerMinute: Math.max(0, ...peaks.map((p) => p.peakPerWindow[0] ?? 0)),
            peakContentPerHour: Math.max(0, ...peaks.map((p) => p.peakPerWindow[1] ?? 0)),
            peakInFlight: Math.max(0, ...peaks.map((p) => p.peakInFlight)),
          },
        },
      });
      return;
    }
    case "exit":
      await Promise.all([github.close(), codepipeline.close(), sqs.close()]);
      process.exit(0);
  }
}

function worldFor(
  setup: { options: BenchOptions; queueUrl: string },
  webhook: World["webhook"],
): World {
  return {
    github,
    codepipeline,
    sqs,
    model,
    queueUrl: setup.queueUrl,
    options: setup.options,
    webhook,
    progress: (lifecycles) => send({ kind: "progress", lifecycles }),
  };
}

send({ kind: "ready", github: github.url, codepipeline: codepipeline.url, sqs: sqs.url });
