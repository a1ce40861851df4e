import type { Logger } from "probot";
import { readTrackedApproval, type TrackedApproval } from "../approvals/check-run-record.js";
import type { ReleaseChanges } from "../approvals/release-changes.schema.js";
import { compactRecord } from "../approvals/compact-record.js";
import { findClosing } from "../approvals/find-closing.js";
import { mergeHistory, readVoteLog } from "../approvals/vote-log.js";
import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { renderCheckRun } from "../presentation/render-check-run.js";

/** Rewrites after reading the log that a late write may make before it leaves the rest to others. */
const maxRepairs = 3;

/**
 * Adds what changed to a check run created without it because the lookup was slow. Only an
 * untouched run is written: still pending, nobody has tried to decide, no changes yet.
 *
 * Closed is absorbing (docs/design.md): the write is a pending view, and a decision may land
 * between the read and the write, or just after. So, as the decision path does
 * (decision-step.ts), every pending write is followed by a read of the annotation log, which
 * every attempt appends to in the same PATCH that shows it. If the log holds a closing entry,
 * the closed view is written from it and that is the end: a closed view written last is right.
 * If it holds attempts the write did not show (a counted vote), the run is written again with
 * them, and the log read again. It ends when a read shows nothing new; any closer that appends
 * after that read also writes its closed view after this request's last write, so the last write
 * is a closed one whenever the approval closed. After `maxRepairs` rewrites it stops without
 * writing again, which keeps that argument (its last write was followed by a read that showed no
 * closing entry); only the audit trail may then lag until the next writer. Never throws: the
 * check run already asks for a decision, and this is only more to read.
 */
export async function addChangesLater(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  later: Promise<ReleaseChanges | undefined>,
  log: Logger,
): Promise<"added" | "skipped"> {
  try {
    const changes = await later;
    if (!changes) return "skipped";
    const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: checkRunId });
    const tracked = readTrackedApproval(data);
    if (
      !tracked ||
      tracked.record.resolution.kind !== "pending" ||
      tracked.record.history.length > 0 ||
      tracked.record.changes
    ) {
      log.info(
        { checkRunId },
        "the check run moved on before what changed was known; left as it is",
      );
      return "skipped";
    }
    let written: TrackedApproval = {
      approval: tracked.approval,
      record: { ...tracked.record, changes },
    };
    await updateCheckRun(octokit, repo, checkRunId, renderCheckRun(written));
    for (let repairs = 0; ; repairs++) {
      const entries = readVoteLog(await listCheckRunAnnotations(octokit, repo, checkRunId));
      const closing = findClosing(entries);
      const shown = new Set(written.record.history.map((entry) => entry.id));
      const unseen = entries.some((entry) => !shown.has(entry.id));
      if (!closing && (!unseen || repairs === maxRepairs)) break;
      written = {
        approval: written.approval,
        record: compactRecord({
          ...written.record,
          history: mergeHistory(written.record.history, entries),
          ...(closing ? { resolution: closing } : {}),
        }),
      };
      await updateCheckRun(octokit, repo, checkRunId, renderCheckRun(written));
      log.warn(
        { checkRunId, closed: Boolean(closing) },
        "a decision was attempted while what changed was added; the check run was written again from its log",
      );
      if (closing) break;
    }
    log.info(
      { checkRunId },
      "what changed since the last approved release was added to the check run",
    );
    return "added";
  } catch (error) {
    log.warn({ err: error, checkRunId }, "could not add what changed to the check run");
    return "skipped";
  }
}
