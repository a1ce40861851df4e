import type { Logger } from "probot";
import { readTrackedApproval } from "../approvals/check-run-record.js";
import type { DecisionOutcome, DecisionRequest } from "../approvals/decide-approval.js";
import { updateIssueComment } from "../github/comments.js";
import type { GitHubClient } from "../github/github-client.js";
import { findNotice, pullRequestsOfCommit } from "./find-notices.js";
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
  // No notify_pr check here: a notice exists only where one was posted, and once posted it should
  // end with the outcome; asking the policy again would cost a read on every decision.
  { log }: { log: Logger },
): Promise<DecisionOutcome> {
  if (outcome.kind !== "decided" && outcome.kind !== "closed") return outcome;
  const before = readTrackedApproval(request.checkRun)?.record.resolution.kind;
  if (before !== "pending") return outcome;
  const { repo, checkRun } = request;
  try {
    const pulls = await pullRequestsOfCommit(octokit, repo, checkRun.head_sha);
    if (pulls.length === 0) return outcome;
    const body = renderNotice(outcome.tracked, checkRun);
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
