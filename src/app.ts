import type { ApplicationFunction, Probot } from "probot";
import { decideApproval } from "./approvals/decide-approval.js";
import { createDecisionGuard } from "./approvals/decision-guard.js";
import { applyControl } from "./controls/apply-control.js";
import { createHoldAuthorizer } from "./controls/authorize-hold.js";
import { updateNoticesAfterControl } from "./controls/update-notices-after-control.js";
import { createRefusalBudget, refusalKey } from "./approvals/refusal-budget.js";
import type { ChannelDeps } from "./channels/channel-deps.js";
import { handleDecisionButton } from "./channels/check-run-button.js";
import { handleCommitComment } from "./channels/commit-comment.js";
import { handlePullRequestComment } from "./channels/pr-comment.js";
import { handlePullRequestReview, type ReviewsEnabled } from "./channels/pr-review.js";
import type { PipelineGateway } from "./codepipeline/pipeline-gateway.js";
import { createInstallationClients } from "./github/installation-clients.js";
import { updateNoticesAfterDecision } from "./notices/update-notices.js";
import { recordDecision } from "./ops/record-decision.js";
import type { Metrics } from "./ops/metrics.js";
import { createAuthorizer } from "./policy/create-authorizer.js";
import { reviewsEnabledByPolicy } from "./policy/policy-backed-switches.js";

export interface AppDeps {
  appId: number;
  pipelines: PipelineGateway;
  now?: () => Date;
  /** Whether reviews decide; by default the policy file's `channels`. */
  reviewsEnabled?: ReviewsEnabled;
  metrics?: Metrics;
}

/** The Probot app: each channel's handler, all wired to the same decision path. */
export function createApp({
  appId,
  pipelines,
  now,
  reviewsEnabled = reviewsEnabledByPolicy,
  metrics,
}: AppDeps): ApplicationFunction {
  return (app: Probot) => {
    const guard = createDecisionGuard();
    // An execution with several GitHub sources is decided under each source's policy.
    const installations = createInstallationClients(app);
    const refusalBudget = createRefusalBudget();
    const channel: ChannelDeps = {
      appId,
      rationed: (repo, actorId) => refusalBudget.exhausted(refusalKey(repo, actorId)),
      decide: (octokit, request, log) => {
        const stopTimer = metrics?.decisionSeconds.startTimer({ channel: request.channel });
        return decideApproval(request, {
          octokit,
          pipelines,
          authorize: createAuthorizer(octokit, {}, { githubFor: installations.forRepository }),
          guard,
          refusalBudget,
          log,
          ...(now ? { now } : {}),
        })
          .then((outcome) => {
            if (metrics) recordDecision(metrics, request.channel, outcome);
            return outcome;
          })
          .finally(() => stopTimer?.())
          .then((outcome) => updateNoticesAfterDecision(octokit, request, outcome, { log, appId }));
      },
      control: (octokit, request, log) =>
        applyControl(request, {
          octokit,
          authorize: createAuthorizer(octokit),
          authorizeHold: createHoldAuthorizer(octokit),
          guard,
          log,
          ...(now ? { now } : {}),
        }).then((outcome) => updateNoticesAfterControl(octokit, request, outcome, { log, appId })),
    };
    app.on("check_run.requested_action", handleDecisionButton(channel));
    app.on("issue_comment.created", handlePullRequestComment(channel));
    app.on("commit_comment.created", handleCommitComment(channel));
    app.on("pull_request_review.submitted", handlePullRequestReview(channel, { reviewsEnabled }));
  };
}
