import { Probot } from "probot";
import { decideApproval } from "../../src/approvals/decide-approval.js";
import type { Authorize } from "../../src/approvals/decision-types.js";
import { createDecisionGuard } from "../../src/approvals/decision-guard.js";
import type { ChannelDeps } from "../../src/channels/channel-deps.js";
import { handleCommitComment } from "../../src/channels/commit-comment.js";
import { applyControl } from "../../src/controls/apply-control.js";
import { createHoldAuthorizer } from "../../src/controls/authorize-hold.js";
import { handlePullRequestComment } from "../../src/channels/pr-comment.js";
import { handlePullRequestReview, type ReviewsEnabled } from "../../src/channels/pr-review.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { getRepositoryRole } from "../../src/github/repository-role.js";
import { updateNoticesAfterDecision } from "../../src/notices/update-notices.js";
import { createTestPipelineGateway } from "./codepipeline-api.js";
import { appId, createTestLog, privateKey, TestOctokit, webhookSecret } from "./probot.js";

/**
 * The conversation channels over the real decision path (decideApproval, then the notice update,
 * as app.ts wires them), with the repository policy replaced by a stand-in: the policy module is
 * built separately, and these tests are about the channels. The stand-in reads the real permission.
 */
export function createConversationProbot({
  reviewsEnabled,
  now = () => new Date("2026-11-28T12:00:00Z"),
}: {
  reviewsEnabled?: ReviewsEnabled;
  now?: () => Date;
} = {}) {
  const { log, lines } = createTestLog();
  const probot = new Probot({
    appId,
    privateKey,
    secret: webhookSecret,
    Octokit: TestOctokit,
    log,
  });
  const pipelines = createTestPipelineGateway();
  const guard = createDecisionGuard();
  const deps: ChannelDeps = {
    appId,
    decide: (octokit, request, decisionLog) =>
      decideApproval(request, {
        octokit,
        pipelines,
        authorize: authorizeWriters(octokit),
        guard,
        log: decisionLog,
        now,
      }).then((outcome) =>
        updateNoticesAfterDecision(octokit, request, outcome, { log: decisionLog, appId }),
      ),
    control: (octokit, request, controlLog) =>
      applyControl(request, {
        octokit,
        authorize: authorizeWriters(octokit),
        authorizeHold: createHoldAuthorizer(octokit),
        guard,
        log: controlLog,
        now,
      }),
  };
  probot.load((app) => {
    app.on("issue_comment.created", handlePullRequestComment(deps));
    app.on("commit_comment.created", handleCommitComment(deps));
    app.on(
      "pull_request_review.submitted",
      handlePullRequestReview(deps, reviewsEnabled ? { reviewsEnabled } : {}),
    );
  });
  return { probot, logLines: lines };
}

/** Stand-in policy: write or higher may decide, through any channel. */
function authorizeWriters(octokit: GitHubClient): Authorize {
  return async (request) => {
    const role = await getRepositoryRole(octokit, request.repo, request.actor.login);
    return ["write", "maintain", "admin"].includes(role)
      ? { kind: "allowed", requiredApprovals: 1 }
      : {
          kind: "refused",
          reason: `@${request.actor.login} has ${role} permission; deciding needs write or higher`,
        };
  };
}
