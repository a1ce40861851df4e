import type { Logger } from "probot";
import { readTrackedApproval, type TrackedApproval } from "../approvals/check-run-record.js";
import type { ReleaseChanges } from "../approvals/release-changes.schema.js";
import { tallyVotes } from "../approvals/tally-votes.js";
import { mergeHistory, readVoteLog } from "../approvals/vote-log.js";
import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { renderCheckRun } from "../presentation/render-check-run.js";

/**
 * Adds what changed to a check run created without it because the lookup was slow. Only an
 * untouched run is written: still pending, nobody has tried to decide, no changes yet. A decision
 * landing between the read and the write would be painted over, so the annotation log (which
 * every attempt appends to) is read afterwards; if it holds an attempt, the run is written again
 * from the log, keeping the decision it records (`closes`), as count-approval.ts does. Never
 * throws: the check run already asks for a decision, and this is only more to read.
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
    const next = withChanges(tracked, changes);
    await updateCheckRun(octokit, repo, checkRunId, renderCheckRun(next));
    const entries = readVoteLog(await listCheckRunAnnotations(octokit, repo, checkRunId));
    if (entries.length > 0) {
      const closes = tallyVotes(entries).closedBy?.closes;
      const repaired: TrackedApproval = {
        approval: next.approval,
        record: {
          ...next.record,
          history: mergeHistory(next.record.history, entries),
          ...(closes ? { resolution: closes } : {}),
        },
      };
      await updateCheckRun(octokit, repo, checkRunId, renderCheckRun(repaired));
      log.warn(
        { checkRunId },
        "a decision was attempted while what changed was added; the check run was rebuilt from its log",
      );
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

function withChanges(tracked: TrackedApproval, changes: ReleaseChanges): TrackedApproval {
  return { approval: tracked.approval, record: { ...tracked.record, changes } };
}
