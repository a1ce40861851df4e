import type { Logger } from "probot";
import { readTrackedApproval } from "../approvals/check-run-record.js";
import type { DecisionOutcome, DecisionRequest } from "../approvals/decide-approval.js";
import { updateIssueComment } from "../github/comments.js";
import type { GitHubClient } from "../github/github-client.js";
import { findNotice, pullRequestsOfCommit } from "./find-notices.js";
import { notifyPullRequestsByDefault, type NotifyPullRequests } from "./notify-pull-requests.js";
import { renderNotice } from "./render-notice.js";

/**
 * After the decision path ran: when this request is what closed the approval (decided, or found
 * expired, superseded or decided elsewhere), edit its notices so each PR thread ends with the
 * outcome. Never creates a notice, and never fails the decision: a failure here is logged, as the
 * decision itself already stands in CodePipeline and on the check run. Returns the outcome as is.
 */
export async function updateNoticesAfterDecision(
  octokit: GitHubClient,
  request: DecisionRequest,
  outcome: DecisionOutcome,
  {
    log,
    notifyPullRequests = notifyPullRequestsByDefault,
  }: { log: Logger; notifyPullRequests?: NotifyPullRequests },
): Promise<DecisionOutcome> {
  if (outcome.kind !== "decided" && outcome.kind !== "closed") return outcome;
  const before = readTrackedApproval(request.checkRun)?.record.resolution.kind;
  if (before !== "pending") return outcome;
  const { repo, checkRun } = request;
  try {
    if (!(await notifyPullRequests(octokit, repo))) return outcome;
    const body = renderNotice(outcome.tracked, checkRun);
    const pulls = await pullRequestsOfCommit(octokit, repo, checkRun.head_sha);
    await Promise.all(
      pulls.map(async (pull) => {
        const notice = await findNotice(octokit, repo, pull.number, checkRun.id);
        if (notice && notice.body !== body)
          await updateIssueComment(octokit, repo, notice.id, body);
      }),
    );
  } catch (error) {
    log.warn({ err: error, checkRunId: checkRun.id }, "could not update the approval notice");
  }
  return outcome;
}
