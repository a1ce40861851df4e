import { randomUUID } from "node:crypto";
import type { Logger } from "probot";
import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { HistoryEntry, Quorum, Resolution } from "./check-run-record.schema.js";
import type { TrackedApproval } from "./check-run-record.js";
import { compactRecord } from "./compact-record.js";
import type { DecisionDeps, DecisionRequest } from "./decision-types.js";
import { findClosing } from "./find-closing.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import { mergeHistory, readVoteLog, voteAnnotation } from "./vote-log.js";

export interface RecordChanges {
  resolution?: Resolution | undefined;
  /** The audit trail to build on, when the log showed more than this process knew. */
  history?: HistoryEntry[] | undefined;
  quorum?: Quorum | undefined;
  /**
   * The caller reads the annotation log right after this write (count-approval.ts) and handles a
   * closing entry it finds, so the write need not read it too.
   */
  logReadByCaller?: boolean | undefined;
}

export type EntryFields = Omit<HistoryEntry, "id" | "at" | "actor" | "actorId" | "channel">;

/** One request's work on one approval: what it knows so far and how it writes to the check run. */
export interface DecisionStep {
  request: DecisionRequest;
  deps: DecisionDeps;
  log: Logger;
  now(): Date;
  current(): TrackedApproval;
  /** An audit entry for this request's actor, channel and source, with a fresh id. */
  entry(fields: EntryFields): HistoryEntry;
  /**
   * Writes the check run once: the record with `entry` added to its audit trail, and the same
   * entry appended to the annotation log. One PATCH either way; a write that leaves the check run
   * pending is followed by one read of the log (see `write` below).
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
    actorId: request.actor.id,
    channel: request.channel,
  });

  const patch = async (changes: RecordChanges, entry?: HistoryEntry) => {
    const history = changes.history ?? current.record.history;
    const quorum = changes.quorum ?? current.record.quorum;
    // A policy read now names who may decide: the problem seen at intake is over.
    const { policyProblem, ...kept } = current.record;
    const next: TrackedApproval = {
      approval: current.approval,
      record: compactRecord({
        ...kept,
        ...(policyProblem && !quorum ? { policyProblem } : {}),
        resolution: changes.resolution ?? current.record.resolution,
        history: entry ? [...history, entry] : history,
        ...(quorum ? { quorum } : {}),
      }),
    };
    current = next;
    const view = renderCheckRun(next);
    await updateCheckRun(
      deps.octokit,
      request.repo,
      request.checkRun.id,
      {
        ...view,
        output: { ...view.output, ...(entry ? { annotations: [voteAnnotation(entry)] } : {}) },
      },
      // A decision's writes go ahead of replies to refusals in the installation's write queue.
      { priority: isDecisionWrite(next, entry) ? "decision" : "normal" },
    );
    // Remembered only once GitHub has it: if the write fails, the next attempt starts from what
    // GitHub shows and brings the check run in line instead of trusting an unsaved record.
    deps.guard.remember(current.approval.token, next);
    return next;
  };

  /**
   * Closed is absorbing (docs/design.md, "Closed is absorbing"). PATCHed output is
   * last-writer-wins, but annotations append, and every closer appends its closing entry in the
   * very PATCH that shows the closed view. A write that leaves the check run pending may have
   * landed after such a closer: so it is followed by one read of the log, and if the log holds a
   * closing entry the closed view is written again from it. Either this pending write came before
   * the closer's (whose closed view is then the later write), or it came after and the read,
   * later still, sees the closing entry and writes a closed view last. Either way the last write
   * is a closed one. A crash between the write and the read leaves it to the next writer or the
   * pipeline's state-change event, which reads CodePipeline and closes the check run.
   */
  const write = async (changes: RecordChanges, entry?: HistoryEntry) => {
    const next = await patch(changes, entry);
    if (next.record.resolution.kind !== "pending" || changes.logReadByCaller) return next;
    let entries: HistoryEntry[];
    try {
      entries = readVoteLog(
        await listCheckRunAnnotations(deps.octokit, request.repo, request.checkRun.id),
      );
    } catch (error) {
      log.warn({ err: error }, "could not read the annotation log after a pending write");
      return next;
    }
    const closing = findClosing(entries);
    if (!closing) return next;
    log.info(
      { resolution: closing.kind },
      "the approval closed while this request wrote: showing the closed record again",
    );
    return patch({ resolution: closing, history: mergeHistory(next.record.history, entries) });
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
      actorId: request.actor.id,
      channel: request.channel,
      ...(request.source ? { source: sourceKey(request.source) } : {}),
      ...fields,
    }),
    append: (entry, changes = {}) => write(changes, entry),
    show: (changes) => write(changes),
  };
}

/** How an audit entry names the comment or review that asked. */
export function sourceKey(source: NonNullable<DecisionRequest["source"]>): string {
  return `${source.kind}-${source.id}`;
}

function isDecisionWrite(next: TrackedApproval, entry: HistoryEntry | undefined): boolean {
  if (next.record.resolution.kind !== "pending") return true;
  return entry?.result === "counted";
}
