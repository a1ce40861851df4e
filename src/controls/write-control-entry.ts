import type { TrackedApproval } from "../approvals/check-run-record.js";
import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import { mergeHistory, readVoteLog, voteAnnotation } from "../approvals/vote-log.js";
import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import { updateCheckRun } from "../github/check-runs.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import type { ControlDeps, ControlRequest } from "./control-types.js";

/** One PATCH: the entry added to the record's audit trail and appended to the annotation log. */
export async function appendControlEntry(
  deps: ControlDeps,
  request: ControlRequest,
  tracked: TrackedApproval,
  history: HistoryEntry[],
  entry: HistoryEntry,
): Promise<TrackedApproval> {
  const next: TrackedApproval = {
    approval: tracked.approval,
    record: { ...tracked.record, history: [...history, entry] },
  };
  const view = renderCheckRun(next);
  await updateCheckRun(deps.octokit, request.repo, request.checkRun.id, {
    ...view,
    output: { ...view.output, annotations: [voteAnnotation(entry)] },
  });
  deps.guard.remember(tracked.approval.token, next);
  return next;
}

/**
 * When the log holds a closing entry this process did not know: the approval as that entry closed
 * it, written to the check run (one PATCH, no new entry). Undefined when nothing closed it.
 */
export async function closedMeanwhile(
  deps: ControlDeps,
  request: ControlRequest,
  written: TrackedApproval,
): Promise<{ resolution: Resolution; tracked: TrackedApproval } | undefined> {
  const logged = readVoteLog(
    await listCheckRunAnnotations(deps.octokit, request.repo, request.checkRun.id),
  );
  const resolution = logged.find((entry) => entry.closes)?.closes;
  if (!resolution) return undefined;
  const tracked: TrackedApproval = {
    approval: written.approval,
    record: {
      ...written.record,
      resolution,
      history: mergeHistory(written.record.history, logged),
    },
  };
  await updateCheckRun(deps.octokit, request.repo, request.checkRun.id, renderCheckRun(tracked));
  deps.guard.remember(tracked.approval.token, tracked);
  return { resolution, tracked };
}
