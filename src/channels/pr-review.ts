import type { Context } from "probot";
import type { Verdict } from "../approvals/approval.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { commitsOfPullRequest, shasOfPullRequest } from "../github/pull-requests.js";
import { answerCommand } from "./answer-command.js";
import type { ChannelDeps } from "./channel-deps.js";
import { findApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { actingApp } from "../github/acting-app.js";
import { isBotAccount } from "../github/is-bot-account.js";
import { capReason } from "./parse-command.js";
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
    const reason = review.body?.trim();
    await answerCommand(
      deps,
      octokit,
      {
        ask: { verdict, ...(reason ? { reason: capReason(reason) } : {}) },
        asker: {
          repo,
          actor: { login: author.login, id: author.id, isBot: false, viaApp: actingApp(review) },
          channel: "reviews",
          ...(review.submitted_at
            ? { source: { kind: "review", id: review.id, writtenAt: review.submitted_at } }
            : {}),
        },
        approvals,
        thread: pullRequestThread(octokit, repo, pull.number, {
          marker: replyMarker(`review-${review.id}`),
          appId: deps.appId,
          since: review.submitted_at ?? undefined,
        }),
        reply: { place: "pull request", source: "review" },
        about: { reviewId: review.id },
      },
      context.log,
    );
  };
}
