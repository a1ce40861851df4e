import type { ProcessMeasure } from "./measure-process.js";

/**
 * What the benchmark's processes tell each other: the orchestrator (run-bench.ts), the world
 * (fakes and load, world/world.ts) and, one per scenario, the app (app-process.ts).
 */

export const scenarioNames = [
  "burst",
  "fairness",
  "buttons",
  "comments",
  "steady",
  "outsiders",
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface BenchOptions {
  /** Simulated round trip of every GitHub, CodePipeline and SQS call, in milliseconds. */
  latencyMs: number;
  /** GitHub's rate-limit windows and the app's pacing run this many times faster. */
  timeScale: number;
  /** Approvals in the burst, fairness and decision scenarios. */
  approvals: number;
  installations: number;
  actionsPerPipeline: number;
  /** Whether each built commit is a merged pull request (the app then posts a PR notice). */
  pullRequests: boolean;
  steadySeconds: number;
  /** New approvals a second in the steady scenario. */
  steadyRate: number;
  scenarios: ScenarioName[];
  /** Time-outs per scenario, in real seconds. */
  scenarioTimeoutSeconds: number;
  /** Node flags of the app process instead of production's (package.json "start"). */
  appNodeFlags?: string[] | undefined;
}

export interface Phase {
  name: string;
  /** The approvals (intake) or decisions this phase handled. */
  count: number;
  wallMs: number;
  calls: {
    github: Record<string, number>;
    codepipeline: Record<string, number>;
    sqs: Record<string, number>;
  };
}

export interface WorldResult {
  scenario: ScenarioName;
  description: string;
  approvals: number;
  decisions: number;
  wallMs: number;
  /** Message visible in SQS → check run created (ms), one per approval. */
  intakeLatencies: number[];
  /** Click or comment sent → PutApprovalResult answered (ms), one per decision. */
  decisionLatencies: number[];
  /** Click or comment sent → check run shows the decision (ms). */
  decisionShownLatencies: number[];
  phases: Phase[];
  /** Scenario-specific figures, e.g. the quiet installation's wait beside a burst. */
  notes: Record<string, number | string>;
  github: {
    tokensIssued: Record<string, number>;
    limitErrors: Record<string, number>;
    unhandled: Record<string, number>;
    /** Most content-creating requests of one installation in any one (scaled) minute / hour. */
    peakContentPerMinute: number;
    peakContentPerHour: number;
    peakInFlight: number;
  };
}

export type ToWorld =
  | { kind: "prepare"; scenario: ScenarioName; options: BenchOptions }
  | { kind: "run"; webhookPort: number; webhookSecret: string }
  | { kind: "exit" };

export type FromWorld =
  | { kind: "ready"; github: string; codepipeline: string; sqs: string }
  | { kind: "prepared"; queueUrl: string }
  | { kind: "progress"; lifecycles: number }
  | { kind: "result"; result: WorldResult }
  | { kind: "failed"; message: string };

/** Everything the app process needs to start the bridge against the world's fakes. */
export interface AppSetup {
  scenario: ScenarioName;
  options: BenchOptions;
  appId: number;
  privateKey: string;
  webhookSecret: string;
  queueUrl: string;
  endpoints: { github: string; codepipeline: string; sqs: string };
}

/** The app's warnings and errors: counted, and the first few kept for the report. */
export interface AppLogSummary {
  warnings: number;
  errors: number;
  first: string[];
}

export type ToApp =
  ({ kind: "start" } & AppSetup) | { kind: "progress"; lifecycles: number } | { kind: "stop" };

export type FromApp =
  | { kind: "started"; webhookPort: number }
  | { kind: "stopped"; usage: ProcessMeasure; log: AppLogSummary }
  | { kind: "failed"; message: string };
