import type { Channel } from "../approvals/approval.js";
import type { DecisionOutcome } from "../approvals/decision-types.js";
import { refusalKind, type Metrics } from "./metrics.js";

/** One decision attempt in the metrics: its outcome, and for a refusal the kind of reason. */
export function recordDecision(metrics: Metrics, channel: Channel, outcome: DecisionOutcome): void {
  metrics.decisions.inc({ outcome: outcome.kind, channel });
  if (outcome.kind === "refused") metrics.refusals.inc({ reason: refusalKind(outcome.reason) });
  const resolution = outcome.kind === "decided" ? outcome.tracked.record.resolution : undefined;
  if (resolution?.kind === "decided" && resolution.breakGlass) metrics.breakGlass.inc({ channel });
}
