import { parseArgs } from "node:util";
import { z } from "zod";
import { scenarioNames, type BenchOptions } from "./protocol.js";

const number = (min: number, max: number) => z.coerce.number().min(min).max(max);

const optionsSchema = z.object({
  latencyMs: number(0, 5000).default(20),
  timeScale: number(1, 3600).default(60),
  approvals: number(1, 100_000).int().default(500),
  installations: number(1, 1000).int().default(5),
  actionsPerPipeline: number(1, 50).int().default(5),
  pullRequests: z.boolean().default(true),
  steadySeconds: number(1, 86_400).default(60),
  steadyRate: number(0.1, 1000).default(5),
  scenarios: z
    .array(z.enum(scenarioNames))
    .min(1)
    .default([...scenarioNames]),
  scenarioTimeoutSeconds: number(10, 86_400).default(900),
  appNodeFlags: z
    .string()
    .regex(/^\s*(--[\w-]+(=\S+)?\s*)*$/, "only --flag or --flag=value, separated by spaces")
    .transform((flags) => flags.split(/\s+/).filter((flag) => flag !== ""))
    .optional(),
});

export const usage = `npm run bench -- [options]

  --latency-ms <n>        round trip of every GitHub, CodePipeline and SQS call (default 20)
  --time-scale <n>        run GitHub's rate-limit clock n times faster, in the fake GitHub AND in
                          the app's pacing (default 60: a minute lasts 1 s, an hour 60 s)
  --approvals <n>         approvals in the burst, fairness and decision scenarios (default 500)
  --installations <n>     installations the burst and decisions are spread over (default 5)
  --actions-per-pipeline <n>  approval actions per pipeline (default 5)
  --no-pull-requests      built commits belong to no pull request (no PR notices, no comments)
  --steady-seconds <n>    length of the mixed steady load (default 60)
  --steady-rate <n>       new approvals a second in the steady load (default 5)
  --scenario <name>       run only this scenario (repeatable): ${scenarioNames.join(", ")}
  --app-node-flags <flags>  node flags for the app process instead of production's (the flags of
                          package.json "start"), to weigh a setting:
                          --app-node-flags="--max-semi-space-size=8 --max-old-space-size=256"
  --out <name>            results file name under bench/results/ (default latest)
`;

/** The command line → validated options; every problem is listed at once. */
export function parseBenchOptions(argv: string[]): { options: BenchOptions; out: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      "latency-ms": { type: "string" },
      "time-scale": { type: "string" },
      approvals: { type: "string" },
      installations: { type: "string" },
      "actions-per-pipeline": { type: "string" },
      "no-pull-requests": { type: "boolean" },
      "steady-seconds": { type: "string" },
      "steady-rate": { type: "string" },
      scenario: { type: "string", multiple: true },
      "app-node-flags": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const parsed = optionsSchema.safeParse({
    latencyMs: values["latency-ms"],
    timeScale: values["time-scale"],
    approvals: values.approvals,
    installations: values.installations,
    actionsPerPipeline: values["actions-per-pipeline"],
    pullRequests: values["no-pull-requests"] ? false : undefined,
    steadySeconds: values["steady-seconds"],
    steadyRate: values["steady-rate"],
    scenarios: values.scenario,
    appNodeFlags: values["app-node-flags"],
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid options:\n${problems.join("\n")}\n\n${usage}`);
  }
  const out = values.out ?? "latest";
  if (!/^[\w.-]+$/.test(out)) throw new Error(`--out must be a plain file name, not ${out}`);
  return { options: parsed.data, out };
}
