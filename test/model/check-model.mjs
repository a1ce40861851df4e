#!/usr/bin/env node
// `npm run check:model -- --runs N [--seed S] [--path P --replay-path R]`: the model checker's random search with
// N interleavings (test/model/protocol-model.test.ts), through vitest, which runs the TypeScript.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string" },
    seed: { type: "string" },
    path: { type: "string" },
    // fc.commands' record of which commands ran, printed with a failure: a path replays only with it.
    "replay-path": { type: "string" },
  },
});
const env = { ...process.env };
if (values.runs) env.MODEL_RUNS = values.runs;
env.MODEL_SEED = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
console.info(`model checker seed ${env.MODEL_SEED} (replay with --seed ${env.MODEL_SEED})`);
if (values.path) env.MODEL_PATH = values.path;
if (values["replay-path"]) env.MODEL_REPLAY_PATH = values["replay-path"];
const result = spawnSync(
  "npx",
  ["vitest", "run", "test/model/protocol-model.test.ts", "-t", "random interleavings"],
  { stdio: "inherit", env },
);
process.exit(result.status ?? 1);
