import { describe, expect, it } from "vitest";
import { actingApp } from "../../src/github/acting-app.js";
import { approvalCheckRunOn, pullRequestComment } from "../fixtures/comments.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { nockUpdateCheckRun } from "../helpers/github-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import { createSent, nockPullRequestCommand } from "../channels/command-scenarios.js";

/** GitHub's issue_comment.created example, written by another app on alice's behalf. */
function commentViaApp() {
  const payload = pullRequestComment({ login: "alice" });
  return {
    ...payload,
    comment: {
      ...payload.comment,
      performed_via_github_app: { id: 31337, slug: "helper-app", name: "Helper App" },
    },
  };
}

describe("comments an app wrote on a person's behalf", () => {
  it("refuses the command and replies that apps may not decide, through the real policy", async () => {
    const { probot } = createTestProbot({
      pipelines: createTestPipelineGateway(),
      now: () => new Date("2026-11-28T12:00:00Z"),
    });
    const sent = createSent();
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [approvalCheckRunOn()] }),
      nockUpdateCheckRun(9001, sent.updates),
    ];

    // No policy, permission or PutApprovalResult call is intercepted: any would fail the test.
    await receive(probot, "issue_comment", commentViaApp());

    expectAllDone(scopes);
    expect(sent.updates[0]).toMatchObject({ conclusion: "action_required" });
    const reply = String(sent.replies[0]!.body);
    expect(reply).toContain("🚫 Not applied: this was written by the GitHub App helper");
    expect(reply).toContain("apps may not decide approvals");
  });

  it("names the app from performed_via_github_app, and treats a person's own comment as theirs", () => {
    expect(actingApp({ performed_via_github_app: null })).toBeUndefined();
    expect(actingApp({})).toBeUndefined();
    expect(actingApp({ performed_via_github_app: { id: 1, slug: "helper-app" } })).toBe(
      "helper-app",
    );
    expect(actingApp({ performed_via_github_app: { id: 7 } })).toBe("app 7");
    expect(actingApp({ performed_via_github_app: "?" })).toBe("an unknown app");
  });
});
