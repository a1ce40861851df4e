import type { Logger } from "probot";
import {
  readTrackedApproval,
  type CheckRunSnapshot,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
import type { DecisionOutcome, DecisionRequest } from "../approvals/decision-types.js";
import { updateIssueComment } from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { findNotice, pullRequestsOfCommit } from "./find-notices.js";
import { renderNotice } from "../presentation/render-notice.js";

/**
 * Edits the notices of an approval that just closed, so each PR thread ends with the outcome.
 * Never creates a notice: one exists only where one was posted, and once posted it should end with
 * the outcome whatever `notify_pr` says now (asking the policy again would cost a read).
 */
export async function editNotices(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRun: Pick<CheckRunSnapshot, "id" | "head_sha" | "html_url">,
  tracked: TrackedApproval,
  appId: number,
): Promise<void> {
  const pulls = await pullRequestsOfCommit(octokit, repo, checkRun.head_sha);
  if (pulls.length === 0) return;
  const body = renderNotice(tracked, checkRun);
  await Promise.all(
    pulls.map(async (pull) => {
      const notice = await findNotice(octokit, repo, pull.number, checkRun.id, appId);
      if (notice && notice.body !== body) await updateIssueComment(octokit, repo, notice.id, body);
    }),
  );
}

/**
 * After the decision path ran: when this request is what closed the approval (decided, or found
 * expired, superseded or decided elsewhere), edit its notices. Never fails the decision: a failure
 * here is logged, as the decision itself already stands in CodePipeline and on the check run.
 * Returns the outcome as is.
 */
export async function updateNoticesAfterDecision(
  octokit: GitHubClient,
  request: DecisionRequest,
  outcome: DecisionOutcome,
  { log, appId }: { log: Logger; appId: number },
): Promise<DecisionOutcome> {
  if (outcome.kind !== "decided" && outcome.kind !== "closed") return outcome;
  const before = readTrackedApproval(request.checkRun)?.record.resolution.kind;
  if (before !== "pending") return outcome;
  const { repo, checkRun } = request;
  try {
    await editNotices(octokit, repo, checkRun, outcome.tracked, appId);
  } catch (error) {
    log.warn({ err: error, checkRunId: checkRun.id }, "could not update the approval notice");
  }
  return outcome;
}
