import { describe, expect, it } from "vitest";
import type { RepoRef } from "../../src/github/github-client.js";
import { sha, token } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn, otherApproval, submittedReview } from "../fixtures/comments.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import { createConversationProbot } from "../helpers/conversation-probot.js";
import {
  nockInstallationToken,
  nockListCheckRuns,
  nockPermission,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import {
  nockCreateIssueComment,
  nockListIssueComments,
  nockPullRequestsForCommit,
} from "../helpers/github-conversation-api.js";
import { nockAnswerSearch } from "../helpers/github-command-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import { expectAllDone, mergeSha } from "./command-scenarios.js";

/**
 * When the fixture's review was submitted (after its check run was created): the search for an
 * earlier answer starts there.
 */
const reviewTime = "2026-11-28T11:30:00Z";

/** The reviews switch as the policy file will answer it, remembering who asked. */
function reviewsSwitch(enabled: boolean) {
  const asked: RepoRef[] = [];
  return {
    asked,
    reviewsEnabled: async (_octokit: unknown, repo: RepoRef) => {
      asked.push(repo);
      return enabled;
    },
  };
}

/** A review decision that goes through, with no notice on the PR. */
function nockReviewDecision(put: JsonBody[], replies: JsonBody[]) {
  return [
    nockPermission("alice", "write"),
    nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
    nockUpdateCheckRun(9001, []),
    nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
    // The reply lookup (since the review) and the notice lookup read the same list.
    nockListIssueComments(42, []),
    nockListIssueComments(42, []),
    nockCreateIssueComment(42, replies),
  ];
}

describe("PR reviews as a channel", () => {
  describe("when reviews are on", () => {
    it("decides Approved from an approving review, recorded as a PR review", async () => {
      const { asked, reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const put: JsonBody[] = [];
      const replies: JsonBody[] = [];
      const scopes = [
        nockInstallationToken(),
        nockListCheckRuns(sha, [approvalCheckRunOn()]),
        ...nockReviewDecision(put, replies),
      ];

      await receive(probot, "pull_request_review", submittedReview({ state: "approved" }));

      expectAllDone(scopes);
      expect(asked).toEqual([{ owner: "octo-org", repo: "service" }]);
      expect(put).toEqual([
        expect.objectContaining({
          token,
          result: { status: "Approved", summary: "Approved via GitHub by @alice (PR review)" },
        }),
      ]);
      expect(String(replies[0]!.body)).toMatch(
        /^<!-- codepipeline-approvals:reply review-900 -->\n✅ `my-service-pipeline\/Approval\/ManualApproval` was approved by @\u200dalice via PR review/,
      );
    });

    it("decides Rejected from Request changes, with the review text as the reason", async () => {
      const { reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const put: JsonBody[] = [];
      const replies: JsonBody[] = [];
      const scopes = [
        nockInstallationToken(),
        nockListCheckRuns(sha, [approvalCheckRunOn()]),
        ...nockReviewDecision(put, replies),
      ];

      await receive(
        probot,
        "pull_request_review",
        submittedReview({
          state: "changes_requested",
          body: "The index migration locks the table.",
        }),
      );

      expectAllDone(scopes);
      expect(put[0]).toMatchObject({
        result: {
          status: "Rejected",
          summary:
            "Rejected via GitHub by @alice (PR review): The index migration locks the table.",
        },
      });
    });

    it("decides through the merge commit of a merged PR", async () => {
      const { reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const put: JsonBody[] = [];
      const scopes = [
        nockInstallationToken(),
        nockListCheckRuns(sha, []),
        nockListCheckRuns(mergeSha, [approvalCheckRunOn({ headSha: mergeSha })]),
        nockListIssueComments(42, []),
        nockPermission("alice", "write"),
        nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
        nockUpdateCheckRun(9001, []),
        nockPullRequestsForCommit(mergeSha, []),
        nockCreateIssueComment(42, []),
      ];

      await receive(
        probot,
        "pull_request_review",
        submittedReview({ mergedAt: "2026-11-28T10:00:00Z", mergeCommitSha: mergeSha }),
      );

      expectAllDone(scopes);
      expect(put).toHaveLength(1);
    });

    it("stays silent when nothing is pending", async () => {
      const { reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const scopes = [nockInstallationToken(), nockListCheckRuns(sha, [])];
      // No comment endpoint is intercepted: a reply would fail the test.
      await receive(probot, "pull_request_review", submittedReview());
      expectAllDone(scopes);
    });

    it("does not pick one of several pending approvals, and says how to", async () => {
      const { reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const replies: JsonBody[] = [];
      const prod = otherApproval({ stageName: "Prod" });
      const scopes = [
        nockInstallationToken(),
        nockListCheckRuns(sha, [
          approvalCheckRunOn(),
          approvalCheckRunOn({ approval: prod, id: 9002 }),
        ]),
        nockListIssueComments(42, []),
        nockCreateIssueComment(42, replies),
      ];

      await receive(probot, "pull_request_review", submittedReview());

      expectAllDone(scopes);
      const reply = String(replies[0]!.body);
      expect(reply).toContain(
        "🤔 Several approvals are waiting here, so a review does not pick one.",
      );
      expect(reply).toContain("- `/approve my-service-pipeline/Prod/ManualApproval`");
    });

    it("does not answer a redelivered review twice", async () => {
      const { reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const scopes = [
        nockInstallationToken(),
        nockListCheckRuns(sha, [approvalCheckRunOn()]),
        nockAnswerSearch(
          42,
          [{ id: 5001, body: "<!-- codepipeline-approvals:reply review-900 -->\n✅ done" }],
          reviewTime,
        ),
      ];
      await receive(probot, "pull_request_review", submittedReview());
      expectAllDone(scopes);
    });

    it("answers a review whose marker another app wrote", async () => {
      const { reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      const put: JsonBody[] = [];
      const replies: JsonBody[] = [];
      const copy = {
        id: 5003,
        body: "<!-- codepipeline-approvals:reply review-900 -->",
        user: { login: "copycat[bot]", type: "Bot" },
        viaApp: { id: 999, slug: "copycat" },
      };
      const scopes = [
        nockInstallationToken(),
        nockListCheckRuns(sha, [approvalCheckRunOn()]),
        nockAnswerSearch(42, [copy], reviewTime),
        nockPermission("alice", "write"),
        nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
        nockUpdateCheckRun(9001, []),
        nockPullRequestsForCommit(sha, []),
        nockCreateIssueComment(42, replies),
      ];

      await receive(probot, "pull_request_review", submittedReview());

      expectAllDone(scopes);
      expect(put).toHaveLength(1);
      expect(replies).toHaveLength(1);
    });

    it.each([
      ["a comment-only review", { state: "commented" }],
      ["a dismissed review state", { state: "dismissed" }],
      ["a bot's review", { type: "Bot", login: "reviewer[bot]" }],
      ["a review of an older commit", { commitId: "d".repeat(40) }],
    ])("ignores %s without asking the switch", async (_case, options) => {
      const { asked, reviewsEnabled } = reviewsSwitch(true);
      const { probot } = createConversationProbot({ reviewsEnabled });
      await expect(
        receive(probot, "pull_request_review", submittedReview(options)),
      ).resolves.toBeUndefined();
      expect(asked).toEqual([]);
    });
  });

  describe("when reviews are off", () => {
    it("does nothing at all for an approving review (switch asked, no GitHub call)", async () => {
      const { asked, reviewsEnabled } = reviewsSwitch(false);
      const { probot } = createConversationProbot({ reviewsEnabled });
      // Nothing is intercepted: no reaction, no reply, no decision.
      await receive(probot, "pull_request_review", submittedReview({ state: "approved" }));
      expect(asked).toHaveLength(1);
    });

    it("is off by default in the app", async () => {
      const { probot } = createTestProbot({ pipelines: createTestPipelineGateway() });
      await expect(
        receive(probot, "pull_request_review", submittedReview({ state: "changes_requested" })),
      ).resolves.toBeUndefined();
    });
  });
});
