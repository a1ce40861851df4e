import { describe, expect, it } from "vitest";
import { sha, token } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn, commitComment } from "../fixtures/comments.js";
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
  nockCreateCommitComment,
  nockListCommitComments,
  nockPullRequestsForCommit,
} from "../helpers/github-conversation-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

type Scope = { pendingMocks(): string[] };

function expectAllDone(scopes: Scope[]) {
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
}

describe("commit comment commands", () => {
  it("decides the approval on the commit and replies there, without a reaction", async () => {
    const { probot } = createConversationProbot();
    const put: JsonBody[] = [];
    const updates: JsonBody[] = [];
    const replies: JsonBody[] = [];
    // No reaction endpoint is intercepted: reacting to a commit comment needs Contents: write.
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, []),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      nockPermission("alice", "write"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
      nockPullRequestsForCommit(sha, []),
      nockCreateCommitComment(sha, replies),
    ];

    await receive(
      probot,
      "commit_comment",
      commitComment({ body: "/reject smoke tests failed\nsee the dashboard" }),
    );

    expectAllDone(scopes);
    expect(put).toEqual([
      expect.objectContaining({
        token,
        result: {
          status: "Rejected",
          summary:
            "Rejected via GitHub by @alice (commit comment): smoke tests failed see the dashboard",
        },
      }),
    ]);
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    expect(String((updates[0]!.output as JsonBody).text)).toContain("| @alice | commit comment |");
    expect(String(replies[0]!.body)).toBe(
      "<!-- codepipeline-approvals:reply comment-800 -->\n❌ `my-service-pipeline/Approval/ManualApproval` was rejected by &#64;alice via commit comment at 2026-11-28 12:00 UTC; CodePipeline has the decision ([check run](https://github.com/octo-org/service/runs/9001)).",
    );
  });

  it("says nothing is pending on the commit", async () => {
    const { probot } = createConversationProbot();
    const replies: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, []),
      nockListCheckRuns(sha, []),
      nockCreateCommitComment(sha, replies),
    ];
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
    expect(String(replies[0]!.body)).toContain(
      "ℹ️ Nothing is waiting for a decision on this commit.",
    );
  });

  it("refuses a read-only commenter and replies why", async () => {
    const { probot } = createConversationProbot();
    const replies: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, []),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      nockPermission("rita", "read"),
      nockUpdateCheckRun(9001, []),
      nockCreateCommitComment(sha, replies),
    ];
    await receive(probot, "commit_comment", commitComment({ login: "rita" }));
    expectAllDone(scopes);
    expect(String(replies[0]!.body)).toContain("🚫 Not applied: &#64;rita has read permission");
  });

  it("does not apply a redelivered command it already answered", async () => {
    const { probot } = createConversationProbot();
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, [
        { id: 6001, body: "<!-- codepipeline-approvals:reply comment-800 -->\n✅ done" },
      ]),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
    ];
    // No permission, AWS or comment creation is intercepted.
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
  });

  it("applies a command whose marker only a person wrote", async () => {
    const { probot } = createConversationProbot();
    const replies: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, [
        {
          id: 6002,
          body: "> <!-- codepipeline-approvals:reply comment-800 -->",
          user: { login: "mallory", type: "User" },
        },
      ]),
      nockListCheckRuns(sha, []),
      nockCreateCommitComment(sha, replies),
    ];
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
    expect(replies).toHaveLength(1);
  });

  it.each([
    ["a quoted command", { body: "> /approve" }],
    ["a bot's comment", { type: "Bot", login: "ci[bot]" }],
    ["a plain comment", { body: "Nice change" }],
  ])("does nothing for %s", async (_case, options) => {
    const { probot } = createConversationProbot();
    await expect(
      receive(probot, "commit_comment", commitComment(options)),
    ).resolves.toBeUndefined();
  });

  it("is registered by the app (through createApp)", async () => {
    const { probot } = createTestProbot({ pipelines: createTestPipelineGateway() });
    const replies: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      nockListCommitComments(sha, []),
      nockListCheckRuns(sha, []),
      nockCreateCommitComment(sha, replies),
    ];
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
    expect(replies).toHaveLength(1);
  });
});
