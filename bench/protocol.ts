/** What the benchmark process (the app) and the world process (fakes and load) tell each other. */

export const scenarioNames = ["burst", "fairness", "buttons", "comments", "steady"] as const;
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
  /**
   * "app": the app's own SQS consumer (start-bridge.ts). "continuous": a what-if consumer that
   * keeps receiving while messages are in hand (bench/continuous-consumer.ts).
   */
  consumer: "app" | "continuous";
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
