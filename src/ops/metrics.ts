import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The bridge's Prometheus metrics, on a registry of its own (no global state, so tests and several
 * bridges in one process do not collide). Served at GET /metrics.
 */
export function createMetrics({ defaultMetrics = true } = {}) {
  const registry = new Registry();
  if (defaultMetrics)
    collectDefaultMetrics({ register: registry, prefix: "codepipeline_approvals_" });
  const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
  return {
    registry,
    approvalsRequested: new Counter({
      name: "codepipeline_approvals_requested_total",
      help: "Approval check runs created on GitHub commits",
      registers: [registry],
    }),
    decisions: new Counter({
      name: "codepipeline_approvals_decisions_total",
      help: "Decision attempts by outcome (decided, counted, refused, closed, failed) and channel",
      labelNames: ["outcome", "channel"] as const,
      registers: [registry],
    }),
    refusals: new Counter({
      name: "codepipeline_approvals_refusals_total",
      help: "Refused decisions by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    breakGlass: new Counter({
      name: "codepipeline_approvals_break_glass_total",
      help: "Approvals made alone through /approve --break-glass (docs/controls.md)",
      labelNames: ["channel"] as const,
      registers: [registry],
    }),
    remindersPosted: new Counter({
      name: "codepipeline_approvals_reminders_posted_total",
      help: "Reminders posted before an approval expires (remind_before), by where: pull_request or commit",
      labelNames: ["where"] as const,
      registers: [registry],
    }),
    messages: new Counter({
      name: "codepipeline_approvals_queue_messages_total",
      help: "Queue messages by outcome (handled, failed)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    decisionSeconds: new Histogram({
      name: "codepipeline_approvals_decision_seconds",
      help: "From a click, comment or review arriving to the decision recorded",
      labelNames: ["channel"] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    intakeSeconds: new Histogram({
      name: "codepipeline_approvals_intake_seconds",
      help: "From a queue message being received to its work done",
      buckets: latencyBuckets,
      registers: [registry],
    }),
    apiCalls: new Counter({
      name: "codepipeline_approvals_api_calls_total",
      help: "GitHub and AWS API calls by service, operation and result",
      labelNames: ["service", "operation", "result"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Refusal reasons carry names and numbers; the metric label keeps only their kind. */
export function refusalKind(reason: string): string {
  if (reason.startsWith("on hold by @")) return "hold";
  if (/^break-glass |break-glass list|which break_glass names/.test(reason)) return "break_glass";
  if (/permission/i.test(reason)) return "permission";
  if (/bot/i.test(reason)) return "bot";
  if (/channel|turned off/i.test(reason)) return "channel";
  if (/polic/i.test(reason)) return "policy";
  if (/author|self/i.test(reason)) return "self_approval";
  if (/team|approver/i.test(reason)) return "not_an_approver";
  if (/reason/i.test(reason)) return "reason_required";
  return "other";
}
