#!/usr/bin/env node
// `npm run check:rendering -- --runs N [--seed S]`: the untrusted-rendering property
// (test/security/untrusted-rendering.test.ts) with N runs and a new seed unless one is given.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string" }, seed: { type: "string" } } });
const env = { ...process.env };
if (values.runs) env.RENDER_RUNS = values.runs;
env.RENDER_SEED = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
console.info(`rendering checker seed ${env.RENDER_SEED} (replay with --seed ${env.RENDER_SEED})`);
const result = spawnSync(
  "npx",
  ["vitest", "run", "test/security/untrusted-rendering.test.ts", "-t", "never yields"],
  { stdio: "inherit", env },
);
process.exit(result.status ?? 1);
