import { randomUUID } from "node:crypto";
import type { Logger } from "probot";
import { updateCheckRun } from "../github/check-runs.js";
import type { HistoryEntry, Quorum, Resolution } from "./check-run-record.schema.js";
import type { TrackedApproval } from "./check-run-record.js";
import type { DecisionDeps, DecisionRequest } from "./decision-types.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import { voteAnnotation } from "./vote-log.js";

export interface RecordChanges {
  resolution?: Resolution | undefined;
  /** The audit trail to build on, when the log showed more than this process knew. */
  history?: HistoryEntry[] | undefined;
  quorum?: Quorum | undefined;
}

export type EntryFields = Omit<HistoryEntry, "id" | "at" | "actor" | "channel">;

/** One request's work on one approval: what it knows so far and how it writes to the check run. */
export interface DecisionStep {
  request: DecisionRequest;
  deps: DecisionDeps;
  log: Logger;
  now(): Date;
  current(): TrackedApproval;
  /** An audit entry for this request's actor and channel, with a fresh id. */
  entry(fields: EntryFields): HistoryEntry;
  /**
   * Writes the check run once: the record with `entry` added to its audit trail, and the same
   * entry appended to the annotation log. One PATCH either way.
   */
  append(entry: HistoryEntry, changes?: RecordChanges): Promise<TrackedApproval>;
  /** Writes the check run without a new entry (to show what the log says). */
  show(changes: RecordChanges): Promise<TrackedApproval>;
}

export function startDecisionStep(
  request: DecisionRequest,
  deps: DecisionDeps,
  tracked: TrackedApproval,
): DecisionStep {
  let current = tracked;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => randomUUID());
  const log = deps.log.child({
    pipeline: tracked.approval.pipelineName,
    stage: tracked.approval.stageName,
    action: tracked.approval.actionName,
    commit: request.checkRun.head_sha,
    actor: request.actor.login,
    channel: request.channel,
  });

  const write = async (changes: RecordChanges, entry?: HistoryEntry) => {
    const history = changes.history ?? current.record.history;
    const quorum = changes.quorum ?? current.record.quorum;
    const next: TrackedApproval = {
      approval: current.approval,
      record: {
        ...current.record,
        resolution: changes.resolution ?? current.record.resolution,
        history: entry ? [...history, entry] : history,
        ...(quorum ? { quorum } : {}),
      },
    };
    current = next;
    const view = renderCheckRun(next);
    await updateCheckRun(deps.octokit, request.repo, request.checkRun.id, {
      ...view,
      output: { ...view.output, ...(entry ? { annotations: [voteAnnotation(entry)] } : {}) },
    });
    // Remembered only once GitHub has it: if the write fails, the next attempt starts from what
    // GitHub shows and brings the check run in line instead of trusting an unsaved record.
    deps.guard.remember(current.approval.token, next);
    return next;
  };

  return {
    request,
    deps,
    log,
    now,
    current: () => current,
    entry: (fields) => ({
      id: newId(),
      at: now().toISOString(),
      actor: request.actor.login,
      channel: request.channel,
      ...fields,
    }),
    append: (entry, changes = {}) => write(changes, entry),
    show: (changes) => write(changes),
  };
}
