import { describe, expect, it } from "vitest";
import { sha, token } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn, otherApproval, pullRequestComment } from "../fixtures/comments.js";
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
  createDeferred,
  nockAnswerSearch,
  nockHeldReaction,
} from "../helpers/github-command-api.js";
import {
  type ListedComment,
  nockCreateIssueComment,
  nockGetPullRequest,
  nockListIssueComments,
  nockPullRequestsForCommit,
} from "../helpers/github-conversation-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import {
  createSent,
  expectAllDone,
  mergeSha,
  nockDecision,
  nockPullRequestCommand,
  nockRefusal,
  notice,
  openPullRequest,
} from "./command-scenarios.js";

/** The reply marker for comment 700, as this app writes it. */
const ourReply = "<!-- codepipeline-approvals:reply comment-700 -->";

describe("PR comment commands", () => {
  it("approves with a reason: reaction, one PutApprovalResult, check run, notice edited, reply", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      ...nockDecision(sent, { pulls: openPullRequest, notices: [notice] }),
    ];

    await receive(probot, "issue_comment", pullRequestComment({ body: "/approve ship it" }));

    expectAllDone(scopes);
    expect(sent.reactions).toEqual([{ content: "eyes" }]);
    expect(sent.put).toEqual([
      {
        pipelineName: "my-service-pipeline",
        stageName: "Approval",
        actionName: "ManualApproval",
        token,
        result: {
          status: "Approved",
          summary: "Approved via GitHub by @alice (PR comment): ship it",
        },
      },
    ]);
    expect(sent.updates[0]).toMatchObject({
      conclusion: "success",
      output: { title: "Approved by @alice" },
    });
    expect(String((sent.updates[0]!.output as JsonBody).text)).toContain(
      "| @\u200dalice | PR comment | approve | approved | ship it |",
    );
    expect(String(sent.noticeEdits[0]!.body)).toContain(
      "### ✅ Approved: `my-service-pipeline/Approval/ManualApproval`",
    );
    expect(String(sent.noticeEdits[0]!.body)).toContain("> ship it");
    const reply = String(sent.replies[0]!.body);
    expect(reply).toMatch(/^<!-- codepipeline-approvals:reply comment-700 -->\n/);
    expect(reply).toContain(
      "✅ `my-service-pipeline/Approval/ManualApproval` was approved by @\u200dalice via PR comment at 2026-11-28 12:00 UTC",
    );
    expect(reply).toContain("[check run](https://github.com/octo-org/service/runs/9001)");
  });

  it("rejects with a multi-line reason, case-insensitively", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      ...nockDecision(sent, { pulls: openPullRequest, notices: [notice] }),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ body: "/REJECT the migration\r\nis not reversible" }),
    );

    expectAllDone(scopes);
    expect(sent.put[0]).toMatchObject({
      result: {
        status: "Rejected",
        summary: "Rejected via GitHub by @alice (PR comment): the migration is not reversible",
      },
    });
    expect(sent.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(String(sent.noticeEdits[0]!.body)).toContain("### ❌ Rejected:");
    expect(String(sent.noticeEdits[0]!.body)).toContain("> the migration\n> is not reversible");
    expect(String(sent.replies[0]!.body)).toContain("was rejected by @\u200dalice via PR comment");
  });

  it("refuses a read-only commenter and replies why, keeping the approval pending", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      ...nockRefusal(sent, { login: "rita" }),
    ];

    // No PutApprovalResult and no notice call is intercepted: either would fail the test.
    await receive(probot, "issue_comment", pullRequestComment({ login: "rita" }));

    expectAllDone(scopes);
    expect(sent.updates[0]).toMatchObject({ conclusion: "action_required" });
    expect(String(sent.replies[0]!.body)).toContain(
      "🚫 Not applied: @\u200drita has read permission; deciding needs write or higher. `my-service-pipeline/Approval/ManualApproval` is still waiting for a decision",
    );
  });

  it("says nothing is pending and names what was last decided", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const decided = approvalCheckRunOn({
      resolution: {
        kind: "decided",
        status: "Approved",
        deciders: ["bob"],
        channel: "buttons",
        at: "2026-11-27T09:00:00.000Z",
      },
    });
    const scopes = nockPullRequestCommand(sent, { checkRuns: [decided] });

    await receive(probot, "issue_comment", pullRequestComment());

    expectAllDone(scopes);
    expect(String(sent.replies[0]!.body)).toContain(
      "ℹ️ Nothing is waiting for a decision on this pull request. The last approval here: `my-service-pipeline/Approval/ManualApproval` was approved by @\u200dbob via check run button at 2026-11-27 09:00 UTC",
    );
  });

  it("says nothing is pending when the PR has no approvals at all", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = nockPullRequestCommand(sent, { checkRuns: [] });
    await receive(probot, "issue_comment", pullRequestComment());
    expectAllDone(scopes);
    expect(sent.replies[0]!.body).toBe(
      `${ourReply}\nℹ️ Nothing is waiting for a decision on this pull request.`,
    );
  });

  describe("with two approvals pending", () => {
    const prod = otherApproval({ stageName: "Prod", actionName: "ApproveProd" });
    const twoPending = () => [
      approvalCheckRunOn(),
      approvalCheckRunOn({ approval: prod, id: 9002 }),
    ];

    it("refuses a bare command and replies with the exact commands", async () => {
      const { probot } = createConversationProbot();
      const sent = createSent();
      const scopes = nockPullRequestCommand(sent, { checkRuns: twoPending() });

      await receive(probot, "issue_comment", pullRequestComment({ body: "/reject not now" }));

      expectAllDone(scopes);
      const reply = String(sent.replies[0]!.body);
      expect(reply).toContain(
        "🤔 Several approvals are waiting here, so a bare `/reject` does not pick one. Comment one of these, followed by your reason:",
      );
      expect(reply).toContain(
        "- `/reject my-service-pipeline/Approval/ManualApproval` (expires 2026-12-05 11:09 UTC) ([check run](https://github.com/octo-org/service/runs/9001) (github\\.com))",
      );
      expect(reply).toContain("- `/reject my-service-pipeline/Prod/ApproveProd`");
    });

    it("decides the targeted one", async () => {
      const { probot } = createConversationProbot();
      const sent = createSent();
      const scopes = [
        ...nockPullRequestCommand(sent, { checkRuns: twoPending() }),
        ...nockDecision(sent, { checkRunId: 9002, pulls: openPullRequest }),
      ];

      await receive(
        probot,
        "issue_comment",
        pullRequestComment({ body: "/approve my-service-pipeline/prod" }),
      );

      expectAllDone(scopes);
      expect(sent.put).toHaveLength(1);
      expect(sent.put[0]).toMatchObject({
        stageName: "Prod",
        actionName: "ApproveProd",
        token: prod.token,
      });
      expect(sent.updates).toHaveLength(1);
      expect(String(sent.replies[0]!.body)).toContain(
        "`my-service-pipeline/Prod/ApproveProd` was approved",
      );
    });

    it("lists the approvals when the target matches none", async () => {
      const { probot } = createConversationProbot();
      const sent = createSent();
      const scopes = nockPullRequestCommand(sent, { checkRuns: twoPending() });
      await receive(probot, "issue_comment", pullRequestComment({ body: "/approve other/Prod" }));
      expectAllDone(scopes);
      expect(String(sent.replies[0]!.body)).toContain(
        "🤔 No approval waiting here matches `other/Prod`. Comment one of these:",
      );
    });

    it("treats a prefix shared by both as ambiguous", async () => {
      const { probot } = createConversationProbot();
      const sent = createSent();
      const scopes = nockPullRequestCommand(sent, { checkRuns: twoPending() });
      await receive(
        probot,
        "issue_comment",
        pullRequestComment({ body: "/approve my-service-pipeline/" }),
      );
      expectAllDone(scopes);
      expect(String(sent.replies[0]!.body)).toContain(
        "`my-service-pipeline/` matches several approvals waiting here",
      );
    });
  });

  it("decides through the merge commit of a merged PR", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, {
        checkRuns: [],
        mergeCheckRuns: [approvalCheckRunOn({ headSha: mergeSha })],
      }),
      ...nockDecision(sent, {
        commit: mergeSha,
        pulls: [{ number: 42, headSha: sha, merged: true, mergeCommitSha: mergeSha }],
      }),
    ];

    await receive(probot, "issue_comment", pullRequestComment());

    expectAllDone(scopes);
    expect(sent.put[0]).toMatchObject({ token, result: { status: "Approved" } });
    expect(String(sent.replies[0]!.body)).toContain("was approved by @\u200dalice");
  });

  it("does not look at the test merge commit of an open PR", async () => {
    const { probot } = createConversationProbot();
    // Only the head's check runs are intercepted: listing the unmerged merge_commit_sha would fail.
    const scopes = nockPullRequestCommand(createSent(), { checkRuns: [] });
    await receive(probot, "issue_comment", pullRequestComment());
    expectAllDone(scopes);
  });

  it("answers a redelivered command once: the earlier reply is found", async () => {
    const { probot } = createConversationProbot();
    // Only a search from the command's time on (`since`) finds the earlier reply. No permission,
    // AWS or comment creation is intercepted: the command is not applied again.
    const scopes = nockPullRequestCommand(createSent(), {
      checkRuns: [approvalCheckRunOn()],
      reactionStatus: 200,
      earlier: [{ id: 5001, body: `${ourReply}\n✅ done` }],
      replies: false,
    });

    await receive(probot, "issue_comment", pullRequestComment());

    expectAllDone(scopes);
  });

  it("finishes a command whose first delivery stopped before replying", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const quoted: ListedComment = {
      id: 5002,
      body: `> ${ourReply}`,
      user: { login: "mallory", type: "User" },
      viaApp: null,
    };
    const scopes = nockPullRequestCommand(sent, {
      checkRuns: [],
      reactionStatus: 200,
      earlier: [quoted],
    });
    await receive(probot, "issue_comment", pullRequestComment());
    expectAllDone(scopes);
    expect(sent.replies).toHaveLength(1);
  });

  it.each([
    [
      "another app's bot",
      { user: { login: "copycat[bot]", type: "Bot" }, viaApp: { id: 999, slug: "copycat" } },
    ],
    [
      "a bot whose app GitHub does not name",
      { user: { login: "copycat[bot]", type: "Bot" }, viaApp: null },
    ],
    ["another app under this app's login", { viaApp: { id: 999, slug: "copycat" } }],
  ])("does not count a marker written by %s as its answer", async (_case, author) => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, {
        checkRuns: [approvalCheckRunOn()],
        earlier: [{ id: 5003, body: ourReply, ...author }],
      }),
      ...nockDecision(sent, { pulls: openPullRequest, notices: [notice] }),
    ];

    await receive(probot, "issue_comment", pullRequestComment());

    expectAllDone(scopes);
    expect(sent.put).toHaveLength(1);
    expect(String(sent.replies[0]!.body)).toContain("was approved by @\u200dalice");
  });

  it("decides and replies without waiting for the reaction, a write that may be held", async () => {
    const { probot } = createConversationProbot();
    const events: string[] = [];
    const releaseReaction = createDeferred();
    const replied = createDeferred();
    const put = nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 });
    put.on("request", () => events.push("PutApprovalResult"));
    const reply = nockCreateIssueComment(42, []);
    reply.on("request", () => {
      events.push("reply posted");
      replied.resolve();
    });
    const scopes = [
      nockInstallationToken(),
      nockHeldReaction(700, releaseReaction.promise, events),
      nockAnswerSearch(42, []),
      nockGetPullRequest(42, { headSha: sha }),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      nockPermission("alice", "write"),
      put,
      nockUpdateCheckRun(9001, []),
      nockPullRequestsForCommit(sha, openPullRequest),
      nockListIssueComments(42, []),
      reply,
    ];

    // GitHub holds the reaction until the reply is out. A handler that waited for the reaction
    // before deciding would never get there, and the test would time out.
    const handled = receive(probot, "issue_comment", pullRequestComment());
    await replied.promise;
    expect(events).toEqual(["reaction asked", "PutApprovalResult", "reply posted"]);

    releaseReaction.resolve();
    await handled;
    expect(events.at(-1)).toBe("reaction answered");
    expectAllDone(scopes);
  });

  it("still decides and replies when the reaction fails, and logs the failure", async () => {
    const { probot, logLines } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [approvalCheckRunOn()], reactionStatus: 500 }),
      ...nockDecision(sent, { pulls: openPullRequest, notices: [notice] }),
    ];

    await receive(probot, "issue_comment", pullRequestComment());

    expectAllDone(scopes);
    expect(sent.put).toHaveLength(1);
    expect(String(sent.replies[0]!.body)).toContain("was approved by @\u200dalice");
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: "could not react to the command", commentId: 700 }),
    );
  });

  it.each([
    ["a quoted command", { body: "> /approve\n\nno" }],
    ["a command in the middle of the text", { body: "we should /approve this" }],
    ["a bot's comment", { type: "Bot", login: "codepipeline-approvals[bot]" }],
    ["a [bot] login", { login: "renovate[bot]" }],
    ["a comment on a plain issue", { onPullRequest: false }],
    ["an edited comment", { action: "edited" as const }],
  ])("does nothing for %s", async (_case, options) => {
    const { probot } = createConversationProbot();
    // Nothing is intercepted: any GitHub call (even the installation token) would fail.
    await expect(
      receive(probot, "issue_comment", pullRequestComment(options)),
    ).resolves.toBeUndefined();
  });

  it("is registered by the app (a command with nothing pending, through createApp)", async () => {
    const { probot } = createTestProbot({ pipelines: createTestPipelineGateway() });
    const sent = createSent();
    const scopes = nockPullRequestCommand(sent, { checkRuns: [] });
    await receive(probot, "issue_comment", pullRequestComment());
    expectAllDone(scopes);
    expect(String(sent.replies[0]!.body)).toContain("Nothing is waiting");
  });
});
