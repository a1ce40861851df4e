import type { ProcessMeasure } from "../measure-process.js";
import type { WorldResult } from "../protocol.js";

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PhaseSummary {
  phase: string;
  count: number;
  wallMs: number;
  /** Calls per approval (or per decision), by service and operation. */
  perItem: Record<"github" | "codepipeline" | "sqs", Record<string, number>>;
  totals: Record<"github" | "codepipeline" | "sqs", number>;
}

export interface ScenarioSummary {
  scenario: string;
  description: string;
  approvals: number;
  decisions: number;
  wallMs: number;
  /** Approvals shown (intake scenarios) or decisions taken (decision scenarios) per second. */
  throughputPerS: number;
  intake: LatencySummary | undefined;
  decision: LatencySummary | undefined;
  decisionShown: LatencySummary | undefined;
  phases: PhaseSummary[];
  cpuMs: number;
  cpuMsPerApproval: number;
  peakRssMb: number;
  atPeak: ProcessMeasure["atPeak"];
  heap: {
    firstMb: number;
    lastMb: number;
    maxMb: number;
    /** Growth of the heap after GC per completed lifecycle, second half of a steady load. */
    kbPerLifecycle: number | undefined;
    samples: ProcessMeasure["heapSamples"];
  };
  limitErrors: number;
  github: WorldResult["github"];
  notes: WorldResult["notes"];
  appErrors: number;
  appWarnings: number;
  appLogSample: string[];
}

export function percentiles(values: number[]): LatencySummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return {
    count: sorted.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: round(sorted.at(-1)!),
  };
}

export function summarizeScenario(
  result: WorldResult,
  usage: ProcessMeasure,
  log: { warnings: number; errors: number; first: string[] },
): ScenarioSummary {
  const heap = usage.heapSamples.map((sample) => sample.heapUsedMb);
  return {
    scenario: result.scenario,
    description: result.description,
    approvals: result.approvals,
    decisions: result.decisions,
    wallMs: round(result.wallMs),
    throughputPerS: round(((result.decisions || result.approvals) / result.wallMs) * 1000),
    intake: percentiles(result.intakeLatencies),
    decision: percentiles(result.decisionLatencies),
    decisionShown: percentiles(result.decisionShownLatencies),
    phases: result.phases.map((phase) => ({
      phase: phase.name,
      count: phase.count,
      wallMs: round(phase.wallMs),
      perItem: {
        github: perItem(phase.calls.github, phase.count),
        codepipeline: perItem(phase.calls.codepipeline, phase.count),
        sqs: perItem(phase.calls.sqs, phase.count),
      },
      totals: {
        github: sum(phase.calls.github),
        codepipeline: sum(phase.calls.codepipeline),
        sqs: sum(phase.calls.sqs),
      },
    })),
    cpuMs: usage.cpuMs,
    cpuMsPerApproval: round(usage.cpuMs / Math.max(1, result.approvals)),
    peakRssMb: usage.peakRssMb,
    atPeak: usage.atPeak,
    heap: {
      firstMb: heap[0] ?? 0,
      lastMb: heap.at(-1) ?? 0,
      maxMb: Math.max(0, ...heap),
      kbPerLifecycle: slope(usage.heapSamples),
      samples: usage.heapSamples,
    },
    limitErrors: sum(result.github.limitErrors),
    github: result.github,
    notes: result.notes,
    appErrors: log.errors,
    appWarnings: log.warnings,
    appLogSample: log.first,
  };
}

function perItem(calls: Record<string, number>, count: number) {
  return Object.fromEntries(
    Object.entries(calls).map(([operation, total]) => [operation, round(total / count, 3)]),
  );
}

function sum(calls: Record<string, number>) {
  return Object.values(calls).reduce((total, count) => total + count, 0);
}

/**
 * Least-squares slope of the heap after GC (KB) over completed lifecycles, in the second half of
 * the run: the first half fills the bounded caches (pipeline definitions, installation clients,
 * the last 1,000 decisions), which is warm-up, not growth.
 */
function slope(samples: ProcessMeasure["heapSamples"]): number | undefined {
  const last = samples.at(-1)?.lifecycles ?? 0;
  const points = samples.filter((sample) => sample.lifecycles > 0 && sample.lifecycles >= last / 2);
  if (points.length < 3) return undefined;
  const xs = points.map((point) => point.lifecycles);
  const ys = points.map((point) => point.heapUsedMb * 1024);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let numerator = 0;
  let denominator = 0;
  xs.forEach((x, index) => {
    numerator += (x - meanX) * (ys[index]! - meanY);
    denominator += (x - meanX) ** 2;
  });
  return denominator === 0 ? undefined : round(numerator / denominator, 2);
}

function round(value: number, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
