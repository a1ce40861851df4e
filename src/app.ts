import type { ApplicationFunction, Probot } from "probot";
import { decideApproval } from "./approvals/decide-approval.js";
import { createDecisionGuard } from "./approvals/decision-guard.js";
import type { ChannelDeps } from "./channels/channel-deps.js";
import { handleDecisionButton } from "./channels/check-run-button.js";
import { handleCommitComment } from "./channels/commit-comment.js";
import { handlePullRequestComment } from "./channels/pr-comment.js";
import { handlePullRequestReview, type ReviewsEnabled } from "./channels/pr-review.js";
import type { PipelineGateway } from "./codepipeline/pipeline-gateway.js";
import type { NotifyPullRequests } from "./notices/notify-pull-requests.js";
import { updateNoticesAfterDecision } from "./notices/update-notices.js";
import { createAuthorizer } from "./policy/create-authorizer.js";

export interface AppDeps {
  appId: number;
  pipelines: PipelineGateway;
  now?: () => Date;
  /** Per-repository switches (the policy file): reviews as a channel (off), PR notices (on). */
  reviewsEnabled?: ReviewsEnabled;
  notifyPullRequests?: NotifyPullRequests;
}

/** The Probot app: each channel's handler, all wired to the same decision path. */
export function createApp({
  appId,
  pipelines,
  now,
  reviewsEnabled,
  notifyPullRequests,
}: AppDeps): ApplicationFunction {
  return (app: Probot) => {
    const guard = createDecisionGuard();
    const channel: ChannelDeps = {
      appId,
      decide: (octokit, request, log) =>
        decideApproval(request, {
          octokit,
          pipelines,
          authorize: createAuthorizer(octokit),
          guard,
          log,
          ...(now ? { now } : {}),
        }).then((outcome) =>
          updateNoticesAfterDecision(octokit, request, outcome, {
            log,
            ...(notifyPullRequests ? { notifyPullRequests } : {}),
          }),
        ),
    };
    app.on("check_run.requested_action", handleDecisionButton(channel));
    app.on("issue_comment.created", handlePullRequestComment(channel));
    app.on("commit_comment.created", handleCommitComment(channel));
    app.on(
      "pull_request_review.submitted",
      handlePullRequestReview(channel, reviewsEnabled ? { reviewsEnabled } : {}),
    );
  };
}
