import { describe, expect, it } from "vitest";
import { reasonText } from "../../src/presentation/reason-text.js";
import { pullRequestComment } from "../fixtures/comments.js";
import { sha } from "../fixtures/codepipeline.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";
import { nockPermission, nockUpdateCheckRun, type JsonBody } from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { nockPolicyFile, nockTeamMembership } from "../helpers/github-policy-api.js";
import { receive } from "../helpers/probot.js";
import {
  createSent,
  expectAllDone,
  nockPullRequestCommand,
  type Sent,
} from "../channels/command-scenarios.js";
import type { createMetrics } from "../../src/ops/metrics.js";
import {
  appendedEntries,
  checkRunAfter,
  heldEntry,
  nockNoticeEdit,
  outputOf,
  replica,
  shown,
} from "./control-scenarios.js";

/** A quorum of two, no self-approval, and an on-call list of one person and one team. */
const onCallPolicy = [
  "defaults:",
  "  required_approvals: 2",
  "  prevent_self_approval: true",
  "  break_glass: [alice, octo-org/oncall]",
  "",
].join("\n");

async function breakGlassCount(metrics: ReturnType<typeof createMetrics>) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find(
    (m) => m.name === "codepipeline_approvals_break_glass_total",
  );
  return metric?.values.find((value) => value.labels.channel === "pr_comments")?.value ?? 0;
}

function replyOf(sent: Sent): string {
  return String(sent.replies[0]?.body);
}

/** Any PutApprovalResult not intercepted here would fail the test (no network). */
describe("/approve --break-glass, through the real app and policy", () => {
  it("approves a self-authored change at once under a quorum of two for a listed person, loudly", async () => {
    const { probot, metrics } = replica({ token: false });
    const sent = createSent();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const edits: JsonBody[] = [];
    const { checkRun } = checkRunAfter([]);
    // No change-authors query is intercepted: prevent_self_approval is lifted, so none is made.
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      nockPolicyFile(onCallPolicy),
      nockPermission("alice", "write"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
      ...nockNoticeEdit(edits),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "alice", body: "/approve --break-glass prod is down, hotfix" }),
    );

    expectAllDone(scopes);
    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({
      result: {
        status: "Approved",
        summary: "BREAK-GLASS: Approved via GitHub by @alice (PR comment): prod is down, hotfix",
      },
    });
    expect(updates[0]).toMatchObject({ conclusion: "success" });
    expect(outputOf(updates[0]).title).toBe("BREAK-GLASS: Approved by @alice");
    expect(String(outputOf(updates[0]).summary)).toContain("🚨 **BREAK-GLASS**");
    expect(String(outputOf(updates[0]).summary)).toContain(`> ${shown("prod is down, hotfix")}`);
    expect(appendedEntries(updates[0])).toEqual([
      expect.objectContaining({
        actor: "alice",
        result: "approved",
        closes: expect.objectContaining({ breakGlass: true, reason: "prod is down, hotfix" }),
      }),
    ]);
    expect(String(edits[0]?.body)).toContain("🚨 **BREAK-GLASS**");
    expect(await breakGlassCount(metrics)).toBe(1);
  });

  it("approves for a member of a listed team, over a hold", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const put: Record<string, unknown>[] = [];
    const { checkRun } = checkRunAfter([heldEntry("carol")]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      nockPolicyFile(onCallPolicy),
      nockPermission("bob", "maintain"),
      nockTeamMembership("octo-org/oncall", "bob", "active"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
      nockUpdateCheckRun(9001, []),
      nockPullRequestsForCommit(sha, []),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "bob", body: "/approve --break-glass rollback of #41" }),
    );

    expectAllDone(scopes);
    expect(put[0]).toMatchObject({
      result: { summary: "BREAK-GLASS: Approved via GitHub by @bob (PR comment): rollback of #41" },
    });
    expect(replyOf(sent)).toContain("✅");
  });

  it("refuses without a reason, saying one is required, and asks CodePipeline nothing", async () => {
    const { probot, metrics } = replica({ token: false });
    const sent = createSent();
    const updates: JsonBody[] = [];
    const { checkRun } = checkRunAfter([]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      nockPolicyFile(onCallPolicy),
      nockPermission("alice", "write"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "alice", body: "/approve --break-glass" }),
    );

    expectAllDone(scopes);
    const why = "break-glass needs a reason: `/approve --break-glass <reason>`";
    // The command in the reason shows as code, not as literal backquotes (issue 16).
    expect(replyOf(sent)).toContain(`🚫 Not applied: ${reasonText(why)}`);
    expect(appendedEntries(updates[0])).toEqual([
      expect.objectContaining({ result: "refused", detail: why }),
    ]);
    expect(await breakGlassCount(metrics)).toBe(0);
  });

  it("refuses an outsider who is on neither list, naming the list", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun } = checkRunAfter([]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      nockPolicyFile(onCallPolicy),
      nockPermission("dave", "admin"),
      nockTeamMembership("octo-org/oncall", "dave", 404),
      nockUpdateCheckRun(9001, []),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "dave", body: "/approve --break-glass trust me" }),
    );

    expectAllDone(scopes);
    expect(replyOf(sent)).toContain(
      shown("@dave is not on the break-glass list (@alice, octo-org/oncall)"),
    );
  });

  it("does not lift min_permission: a listed person with read permission is refused", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun } = checkRunAfter([]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      nockPolicyFile(onCallPolicy),
      nockPermission("alice", "read"),
      nockUpdateCheckRun(9001, []),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "alice", body: "/approve --break-glass prod is down" }),
    );

    expectAllDone(scopes);
    expect(replyOf(sent)).toContain(
      shown("@alice has read permission; deciding needs write or higher"),
    );
  });

  it("is off while the policy names nobody: refused with why", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun } = checkRunAfter([]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      nockPolicyFile("defaults:\n  required_approvals: 2\n"),
      nockPermission("alice", "admin"),
      nockUpdateCheckRun(9001, []),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "alice", body: "/approve --break-glass prod is down" }),
    );

    expectAllDone(scopes);
    expect(replyOf(sent)).toContain(
      shown("break-glass is off for this approval: the policy's break_glass list is empty"),
    );
  });
});
