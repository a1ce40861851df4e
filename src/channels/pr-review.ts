import type { Context } from "probot";
import type { Verdict } from "../approvals/approval.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { commitsOfPullRequest, shasOfPullRequest } from "../github/pull-requests.js";
import { isBotAccount, type ChannelDeps } from "./channel-deps.js";
import { decideCommand, decideThrough } from "./decide-command.js";
import { findApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { capReason } from "./parse-command.js";
import { renderCommandReply } from "./render-command-reply.js";
import { pullRequestThread, replyMarker } from "./reply-thread.js";

/** Whether reviews decide approvals in a repository; the policy file turns it on. */
export type ReviewsEnabled = (octokit: GitHubClient, repo: RepoRef) => Promise<boolean>;

/** Off unless a repository opts in: a review approves code, not necessarily a deployment. */
export const reviewsOffByDefault: ReviewsEnabled = async () => false;

const verdictsByState: Record<string, Verdict> = {
  approved: "Approved",
  changes_requested: "Rejected",
};

/**
 * A submitted review as a decision: Approve → Approved, Request changes → Rejected, the review's
 * text as the reason. A review has no target, so it decides only when exactly one approval waits.
 */
export function handlePullRequestReview(
  deps: ChannelDeps,
  { reviewsEnabled = reviewsOffByDefault }: { reviewsEnabled?: ReviewsEnabled } = {},
) {
  return async (context: Context<"pull_request_review.submitted">): Promise<void> => {
    const { review, pull_request: pullRequest, repository } = context.payload;
    const verdict = verdictsByState[review.state.toLowerCase()];
    const author = review.user;
    if (!verdict || !author || isBotAccount(author)) return;
    // A review of an older commit did not see the code the pipeline is deploying.
    if (review.commit_id !== pullRequest.head.sha) return;

    const octokit = context.octokit;
    const repo = { owner: repository.owner.login, repo: repository.name };
    if (!(await reviewsEnabled(octokit, repo))) return;

    const pull = commitsOfPullRequest(pullRequest);
    const approvals = await findApprovalsOnCommits(
      octokit,
      repo,
      shasOfPullRequest(pull),
      deps.appId,
    );
    // Reviews are everyday traffic: with nothing waiting, the app stays silent.
    if (approvals.pending.length === 0) return;
    const thread = pullRequestThread(
      octokit,
      repo,
      pull.number,
      replyMarker(`review-${review.id}`),
      review.submitted_at ?? undefined,
    );
    if (await thread.answered()) {
      context.log.info({ reviewId: review.id }, "review already answered (redelivery)");
      return;
    }
    const reason = review.body?.trim();
    const result = await decideCommand(
      approvals,
      { verdict, ...(reason ? { reason: capReason(reason) } : {}) },
      decideThrough(
        deps,
        octokit,
        { repo, actor: { login: author.login, isBot: false }, channel: "reviews" },
        context.log,
      ),
    );
    await thread.post(renderCommandReply(result, { place: "pull request", source: "review" }));
  };
}
