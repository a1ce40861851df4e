import { describe, expect, it } from "vitest";
import { token } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn, commitComment } from "../fixtures/comments.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { createConversationProbot } from "../helpers/conversation-probot.js";
import type { JsonBody } from "../helpers/github-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import {
  createSent,
  expectAllDone,
  nockCommitCommand,
  nockDecision,
  nockRefusal,
} from "./command-scenarios.js";

describe("commit comment commands", () => {
  it("decides the approval on the commit and replies there, without a reaction", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    // No reaction endpoint is intercepted: reacting to a commit comment needs Contents: write.
    const scopes = [
      ...nockCommitCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      ...nockDecision(sent),
    ];

    await receive(
      probot,
      "commit_comment",
      commitComment({ body: "/reject smoke tests failed\nsee the dashboard" }),
    );

    expectAllDone(scopes);
    expect(sent.put).toEqual([
      expect.objectContaining({
        token,
        result: {
          status: "Rejected",
          summary:
            "Rejected via GitHub by @alice (commit comment): smoke tests failed see the dashboard",
        },
      }),
    ]);
    expect(sent.updates[0]).toMatchObject({ conclusion: "failure" });
    expect(String((sent.updates[0]!.output as JsonBody).text)).toContain(
      "| @\u200dalice | commit comment |",
    );
    expect(String(sent.replies[0]!.body)).toBe(
      "<!-- codepipeline-approvals:reply comment-800 -->\n❌ `my-service-pipeline/Approval/ManualApproval` was rejected by @\u200dalice via commit comment at 2026-11-28 12:00 UTC; CodePipeline has the decision ([check run](https://github.com/octo-org/service/runs/9001) (github\\.com)).",
    );
  });

  it("says nothing is pending on the commit", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = nockCommitCommand(sent, { checkRuns: [] });
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
    expect(String(sent.replies[0]!.body)).toContain(
      "ℹ️ Nothing is waiting for a decision on this commit.",
    );
  });

  it("refuses a read-only commenter and replies why", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = [
      ...nockCommitCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      ...nockRefusal(sent, { login: "rita" }),
    ];
    await receive(probot, "commit_comment", commitComment({ login: "rita" }));
    expectAllDone(scopes);
    expect(String(sent.replies[0]!.body)).toContain(
      "🚫 Not applied: @\u200drita has read permission",
    );
  });

  it("does not apply a redelivered command it already answered", async () => {
    const { probot } = createConversationProbot();
    // No permission, AWS or comment creation is intercepted.
    const scopes = nockCommitCommand(createSent(), {
      checkRuns: [approvalCheckRunOn()],
      earlier: [{ id: 6001, body: "<!-- codepipeline-approvals:reply comment-800 -->\n✅ done" }],
      replies: false,
    });
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
  });

  it("applies a command whose marker only a person wrote", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const scopes = nockCommitCommand(sent, {
      checkRuns: [],
      earlier: [
        {
          id: 6002,
          body: "> <!-- codepipeline-approvals:reply comment-800 -->",
          user: { login: "mallory", type: "User" },
        },
      ],
    });
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
    expect(sent.replies).toHaveLength(1);
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
    const sent = createSent();
    const scopes = nockCommitCommand(sent, { checkRuns: [] });
    await receive(probot, "commit_comment", commitComment());
    expectAllDone(scopes);
    expect(sent.replies).toHaveLength(1);
  });
});
