import type { ApplicationFunction, Logger, Probot } from "probot";
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
import { readTrackedApproval } from "./approvals/check-run-record.js";
import { recordDecision } from "./ops/record-decision.js";
import { structuredLog } from "./ops/structured-log.js";
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
      decide: (octokit, request, eventLog) => {
        // Every decision line names the check run, its commit and the execution it answers.
        const executionId = readTrackedApproval(request.checkRun)?.approval.executionId;
        const log = structuredLog(eventLog).child({
          repository: `${request.repo.owner}/${request.repo.repo}`,
          commit: request.checkRun.head_sha,
          checkRunId: request.checkRun.id,
          ...(executionId ? { executionId } : {}),
        });
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
    const logged = withEventLog(app.log);
    app.on("check_run.requested_action", logged(handleDecisionButton(channel)));
    app.on("issue_comment.created", logged(handlePullRequestComment(channel)));
    app.on("commit_comment.created", logged(handleCommitComment(channel)));
    app.on(
      "pull_request_review.submitted",
      logged(handlePullRequestReview(channel, { reviewsEnabled })),
    );
  };
}

interface EventContext {
  id: string;
  name: string;
  payload: { action?: string; repository?: { full_name: string } };
  log: Logger;
}

/**
 * Replaces Probot's event logger, which binds `name` a second time (`probot`, then `event`) and
 * calls the delivery id `id`, with one that names the delivery, the event and the repository once.
 * docs/operations.md, "What the log lines mean".
 */
function withEventLog(log: Logger) {
  return <C extends EventContext>(handler: (context: C) => Promise<void>) =>
    (context: C): Promise<void> => {
      const { action, repository } = context.payload;
      context.log = structuredLog(log).child({
        deliveryId: context.id,
        event: action ? `${context.name}.${action}` : context.name,
        ...(repository ? { repository: repository.full_name } : {}),
      });
      return handler(context);
    };
}
