import type { BenchOptions } from "../protocol.js";
import type { Machine } from "./describe-machine.js";
import type { LatencySummary, ScenarioSummary } from "./summarize.js";

export interface BenchReport {
  generatedAt: string;
  machine: Machine;
  options: BenchOptions;
  /** The node flags the app process ran with. */
  appNodeFlags: string[];
  scenarios: ScenarioSummary[];
}

/** The report a person reads: settings, one table of figures, the calls per approval. */
export function renderMarkdown(report: BenchReport): string {
  const { machine, options } = report;
  const minute = 60 / options.timeScale;
  const hour = 3600 / options.timeScale;
  const lines = [
    `# Benchmark results (${report.generatedAt.slice(0, 16).replace("T", " ")} UTC)`,
    "",
    `Machine: ${machine.cpuModel}, ${machine.nproc} CPUs (nproc), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}.`,
    "",
    `Settings: every GitHub, CodePipeline and SQS call takes ${options.latencyMs} ms (not scaled). ` +
      `Time scale ${options.timeScale}: GitHub's content-creation limits (80 a minute, 500 an hour per installation) ` +
      `are enforced by the fake over ${fmt(minute)} s and ${fmt(hour)} s windows, its primary limit (5,000 an hour) over ${fmt(hour)} s, ` +
      `and the app's pacing and retry-after waits are shortened by the same factor. ` +
      `${options.approvals} approvals over ${options.installations} installations, ${options.actionsPerPipeline} approval actions per pipeline, ` +
      `${options.pullRequests ? "each commit a merged pull request (the app posts a PR notice)" : "no pull requests"}; ` +
      `steady load ${options.steadyRate} approvals/s for ${options.steadySeconds} s. ` +
      `Each scenario starts the bridge (\`startBridge\`) in a fresh process with \`${report.appNodeFlags.join(" ")}\`` +
      `${options.appNodeFlags ? " (weighing a setting, not production's flags)" : ", the flags of `npm start`"}, ` +
      `plus \`--expose-gc\` for the benchmark's heap samples; unlike production it logs at warn level ` +
      `and its AWS clients, pointed at the fakes, are not counted in the app's metrics.`,
    "",
    "| scenario | approvals | decisions | wall (s) | throughput (/s) | visible → check run p50 / p95 / p99 (ms) | ask → PutApprovalResult p50 / p95 / p99 (ms) | ask → check run updated p50 / p95 / p99 (ms) | CPU per approval (ms) | peak RSS (MB) | rate-limit errors |",
    "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
    ...report.scenarios.map(
      (s) =>
        `| ${s.scenario} | ${s.approvals} | ${s.decisions} | ${fmt(s.wallMs / 1000)} | ${fmt(s.throughputPerS)} | ${latency(s.intake)} | ${latency(s.decision)} | ${latency(s.decisionShown)} | ${fmt(s.cpuMsPerApproval)} | ${fmt(s.peakRssMb)} | ${s.limitErrors} |`,
    ),
    "",
    "## API calls per approval, by phase",
    "",
    ...callsTable(report.scenarios),
    "",
    "## Notes per scenario",
    "",
    ...report.scenarios.flatMap((s) => [
      `- **${s.scenario}** (${s.description}): ` +
        [
          ...Object.entries(s.notes).map(([key, value]) => `${key}: ${value}`),
          `GitHub tokens issued: ${sum(s.github.tokensIssued)} for ${Object.keys(s.github.tokensIssued).length} installations`,
          `most content-creating requests of one installation in one scaled minute: ${s.github.peakContentPerMinute} (limit 80), in one scaled hour: ${s.github.peakContentPerHour} (limit 500)`,
          `most requests of one installation in flight: ${s.github.peakInFlight} (limit 100)`,
          `at peak RSS the V8 heap held ${s.atPeak.heapUsedMb} of ${s.atPeak.heapTotalMb} MB reserved (young generation ${s.atPeak.youngReservedMb} MB), buffers ${s.atPeak.externalMb} MB`,
          `heap after GC: ${s.heap.firstMb} → ${s.heap.lastMb} MB (max ${s.heap.maxMb})` +
            (s.heap.kbPerLifecycle !== undefined
              ? `, ${s.heap.kbPerLifecycle} KB per lifecycle`
              : ""),
          `app log: ${s.appErrors} errors, ${s.appWarnings} warnings`,
          ...(Object.keys(s.github.unhandled).length > 0
            ? [`calls the fake GitHub does not know: ${JSON.stringify(s.github.unhandled)}`]
            : []),
        ].join("; ") +
        ".",
    ]),
    "",
  ];
  return lines.join("\n");
}

function callsTable(scenarios: ScenarioSummary[]): string[] {
  const columns = scenarios.flatMap((s) =>
    s.phases.map((phase) => ({ label: `${s.scenario} ${phase.phase}`, phase })),
  );
  const operations = new Set<string>();
  for (const { phase } of columns) {
    for (const [service, calls] of Object.entries(phase.perItem)) {
      for (const operation of Object.keys(calls)) operations.add(`${service} ${operation}`);
    }
  }
  const rows = [...operations].sort().map((key) => {
    const [service, operation] = key.split(" ") as ["github" | "codepipeline" | "sqs", string];
    return `| ${service} | ${operation} | ${columns
      .map(({ phase }) => fmt(phase.perItem[service][operation] ?? 0, 3))
      .join(" | ")} |`;
  });
  return [
    `| service | operation | ${columns.map((c) => c.label).join(" | ")} |`,
    `| --- | --- | ${columns.map(() => "--:").join(" | ")} |`,
    ...rows,
    `| all | GitHub + CodePipeline | ${columns
      .map(({ phase }) => fmt((phase.totals.github + phase.totals.codepipeline) / phase.count, 3))
      .join(" | ")} |`,
  ];
}

function latency(summary: LatencySummary | undefined): string {
  return summary ? `${fmt(summary.p50)} / ${fmt(summary.p95)} / ${fmt(summary.p99)}` : "–";
}

function fmt(value: number, digits = 1): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits).replace(/\.?0+$/, "");
}

function sum(counts: Record<string, number>) {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}
