import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import type { TrackedApproval } from "../approvals/check-run-record.js";
import { resolutionFromState } from "../approvals/resolution-from-state.js";
import type { ApprovalState } from "../codepipeline/pipeline-gateway.js";

/** What replaced a superseded approval, as far as CodePipeline tells. */
export interface Supersession {
  /** A newer pipeline execution that ran the same action. */
  executionId?: string;
  /** That execution's commit in the same repository, when it has one. */
  commit?: string;
  /** The action ran again within the same execution (a stage retry). */
  sameExecution?: boolean;
}

export interface PipelineObservation {
  /**
   * The event's state, as CodePipeline named it (SUCCEEDED, FAILED, CANCELED, ABANDONED…);
   * undefined for a re-read no event prompted (see recheck-after-publish.ts).
   */
  eventState?: string | undefined;
  /** When the event says the change happened. */
  eventAt: string;
  /** CodePipeline's answer now; the event only says that something changed. */
  state: ApprovalState;
  newer?: Supersession | undefined;
  observedAt: string;
  /** A second look was already taken (or the event is old enough that waiting cannot help). */
  settled: boolean;
  /** The id of the closing entry, so the annotation log and the record name the same entry. */
  entryId?: string | undefined;
}

export type SyncPlan =
  | { kind: "keep"; reason: "closed" | "pending" }
  | { kind: "look-again"; reason: "pending" | "github-decision-in-flight" }
  | { kind: "update"; next: TrackedApproval };

/** Actor of history entries written from pipeline events. */
export const pipelineActor = "CodePipeline";

/**
 * How a check run follows one pipeline event. A record closed on GitHub is never overwritten: a
 * decision made there carries who, through which channel and why, which CodePipeline's copy lacks.
 */
export function planCheckRunSync(
  tracked: TrackedApproval,
  observation: PipelineObservation,
): SyncPlan {
  if (tracked.record.resolution.kind !== "pending") return { kind: "keep", reason: "closed" };
  const { state, settled } = observation;
  if (state.kind === "pending") {
    // The read can lag the event by a moment; after that, the event was about an older run.
    return settled
      ? { kind: "keep", reason: "pending" }
      : { kind: "look-again", reason: "pending" };
  }
  const resolution = resolveState(state, observation);
  if (resolution.kind === "decided-outside" && resolution.viaGitHub && !settled) {
    // Decided through GitHub, but the deciding replica has not written the check run yet: give it
    // the chance to write its richer record first.
    return { kind: "look-again", reason: "github-decision-in-flight" };
  }
  const entry: HistoryEntry = {
    ...(observation.entryId ? { id: observation.entryId } : {}),
    at: observation.observedAt,
    actor: pipelineActor,
    channel: "aws",
    ...(resolution.kind === "decided-outside" ? { verdict: resolution.status } : {}),
    result:
      resolution.kind === "decided-outside"
        ? resolution.status === "Approved"
          ? "approved"
          : "rejected"
        : "stale",
    detail: `${observation.eventState ? `CodePipeline reported ${observation.eventState}` : "CodePipeline shows"}: ${describe(resolution, observation.newer)}`,
    // Appended to the annotation log too: a writer that painted the run pending meanwhile finds
    // it there and shows the closed record again (approvals/decision-step.ts).
    closes: resolution,
  };
  return {
    kind: "update",
    next: {
      approval: tracked.approval,
      record: { ...tracked.record, resolution, history: [...tracked.record.history, entry] },
    },
  };
}

function resolveState(state: ApprovalState, observation: PipelineObservation): Resolution {
  const resolution = resolutionFromState(state);
  if (resolution.kind !== "superseded") return resolution;
  const byExecutionId = observation.newer?.executionId;
  return {
    kind: "superseded",
    ...(byExecutionId ? { byExecutionId } : {}),
    at: observation.eventAt,
  };
}

function describe(resolution: Resolution, newer: Supersession | undefined): string {
  switch (resolution.kind) {
    case "decided-outside": {
      const verb = resolution.status === "Approved" ? "approved" : "rejected";
      const where = resolution.viaGitHub
        ? "via GitHub"
        : "outside GitHub (AWS console, CLI or API)";
      return `${verb} ${where}${resolution.by ? ` by ${resolution.by}` : ""}`;
    }
    case "expired":
      return "the approval expired without a decision";
    case "superseded":
      if (newer?.executionId) {
        const commit = newer.commit ? ` (commit ${newer.commit.slice(0, 7)})` : "";
        return `superseded by pipeline execution ${newer.executionId}${commit}`;
      }
      if (newer?.sameExecution) return "superseded by a newer run of this action (stage retried)";
      return "the pipeline execution was stopped or abandoned before a decision";
    case "gone":
      return `the ${resolution.what} no longer exists`;
    case "decided":
    case "pending":
      return resolution.kind;
  }
}
