import { describe, expect, it } from "vitest";
import { holdStateOf } from "../../src/controls/hold-state.js";
import { readVoteLog } from "../../src/approvals/vote-log.js";
import { pullRequestComment, submittedReview } from "../fixtures/comments.js";
import { createConversationProbot } from "../helpers/conversation-probot.js";
import { nockAnswerSearch } from "../helpers/github-command-api.js";
import { nockCreateIssueComment } from "../helpers/github-conversation-api.js";
import { buttonClick } from "../fixtures/github.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockListCheckRuns,
  nockPermission,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { fakeAnnotationLog, nockNoPolicy } from "../helpers/github-policy-api.js";
import { receive } from "../helpers/probot.js";
import { sha } from "../fixtures/codepipeline.js";
import {
  createSent,
  expectAllDone,
  nockPullRequestCommand,
} from "../channels/command-scenarios.js";
import {
  appendedEntries,
  checkRunAfter,
  heldEntry,
  nockNoticeEdit,
  outputOf,
  replica,
  shown,
} from "./control-scenarios.js";

function replyOf(sent: { replies: JsonBody[] }): string {
  return String(sent.replies[0]?.body);
}

describe("/hold and /unhold on a pull request, through the real app and policy", () => {
  it("puts the approval on hold for a triage user: the log, the check run's title and the notice say who and why", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun } = checkRunAfter([]);
    const edits: JsonBody[] = [];
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      ...nockNoPolicy(),
      nockPermission("tri", "triage"),
      ...nockNoticeEdit(edits),
    ];
    const log = fakeAnnotationLog(9001);

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "tri", body: "/hold the canary alarms fired" }),
    );

    expectAllDone(scopes);
    expect(log.bodies).toHaveLength(1);
    expect(appendedEntries(log.bodies[0])).toEqual([
      expect.objectContaining({ actor: "tri", result: "held", detail: "the canary alarms fired" }),
    ]);
    expect(outputOf(log.bodies[0]).title).toBe("On hold by @tri");
    expect(String(outputOf(log.bodies[0]).summary)).toContain("⏸️ **On hold** by @\u200dtri");
    expect(log.bodies[0]).toMatchObject({ conclusion: "action_required" });
    expect(String(edits[0]?.body)).toContain("⏸️ **On hold** by @\u200dtri");
    expect(String(edits[0]?.body)).toContain(`> ${shown("the canary alarms fired")}`);
    expect(replyOf(sent)).toContain("is on hold: the canary alarms fired");
    // Two reads: the hold's state before writing, and a decision that may have landed meanwhile.
    expect(log.reads).toEqual([0, 1]);
  });

  it("refuses /hold from a read-only user with a reply that says why, and records the attempt", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun } = checkRunAfter([]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      ...nockNoPolicy(),
      nockPermission("reader", "read"),
    ];
    const log = fakeAnnotationLog(9001);

    await receive(probot, "issue_comment", pullRequestComment({ login: "reader", body: "/hold" }));

    expectAllDone(scopes);
    const why = "@reader has read permission; holding needs triage or higher (hold_min_permission)";
    expect(replyOf(sent)).toContain(`🚫 Not applied: ${shown(why)}`);
    expect(appendedEntries(log.bodies[0])).toEqual([
      expect.objectContaining({ actor: "reader", result: "refused", detail: `/hold: ${why}` }),
    ]);
    expect(outputOf(log.bodies[0]).title).toBe("Waiting for approval");
  });

  it('refuses a button approval while held with "on hold by @who: reason", and never asks CodePipeline', async () => {
    const { probot } = replica();
    const updates: JsonBody[] = [];
    const { checkRun } = checkRunAfter([heldEntry()]);
    // No PutApprovalResult is intercepted: one would fail the test.
    const scopes = [
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice", checkRun }));

    expectAllDone(scopes);
    expect(appendedEntries(updates[0])).toEqual([
      expect.objectContaining({
        actor: "alice",
        verdict: "Approved",
        result: "refused",
        detail: "on hold by @carol: the canary alarms fired",
      }),
    ]);
    expect(outputOf(updates[0]).title).toBe("On hold by @carol");
    expect(updates[0]).toMatchObject({ conclusion: "action_required" });
  });

  it("refuses a /approve comment while held, replying with who holds it and why", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun } = checkRunAfter([heldEntry()]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      nockUpdateCheckRun(9001, []),
    ];

    await receive(
      probot,
      "issue_comment",
      pullRequestComment({ login: "alice", body: "/approve" }),
    );

    expectAllDone(scopes);
    expect(replyOf(sent)).toContain(shown("on hold by @carol: the canary alarms fired"));
  });

  it("refuses an approving review while held (reviews turned on)", async () => {
    const { probot } = createConversationProbot({ reviewsEnabled: async () => true });
    const updates: JsonBody[] = [];
    const replies: JsonBody[] = [];
    const { checkRun } = checkRunAfter([heldEntry()]);
    // No PutApprovalResult is intercepted: one would fail the test.
    const scopes = [
      nockInstallationToken(),
      nockListCheckRuns(sha, [checkRun]),
      // The fixture review's submitted_at (after its check run was created: issue 14).
      nockAnswerSearch(42, [], "2026-11-28T11:30:00Z"),
      nockPermission("alice", "write"),
      nockUpdateCheckRun(9001, updates),
      nockCreateIssueComment(42, replies),
    ];

    await receive(probot, "pull_request_review", submittedReview({ login: "alice" }));

    expectAllDone(scopes);
    expect(appendedEntries(updates[0])).toEqual([
      expect.objectContaining({ channel: "reviews", result: "refused" }),
    ]);
    expect(String(replies[0]?.body)).toContain(shown("on hold by @carol: the canary alarms fired"));
  });

  it("still lets a rejection through while held", async () => {
    const { probot } = replica();
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const { checkRun } = checkRunAfter([heldEntry()]);
    const scopes = [
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
      nockPullRequestsForCommit(sha, []),
    ];

    await receive(
      probot,
      "check_run",
      buttonClick({ login: "alice", identifier: "reject", checkRun }),
    );

    expectAllDone(scopes);
    expect(put[0]).toMatchObject({ result: { status: "Rejected" } });
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
  });

  it("lets the person who held it lift the hold with a triage role", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun, seed } = checkRunAfter([heldEntry("carol")]);
    const edits: JsonBody[] = [];
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      ...nockNoPolicy(),
      nockPermission("carol", "triage"),
      ...nockNoticeEdit(edits),
    ];
    const log = fakeAnnotationLog(9001, { seed });

    await receive(probot, "issue_comment", pullRequestComment({ login: "carol", body: "/unhold" }));

    expectAllDone(scopes);
    expect(appendedEntries(log.bodies[0])).toEqual([
      expect.objectContaining({ actor: "carol", result: "unheld" }),
    ]);
    expect(outputOf(log.bodies[0]).title).toBe("Waiting for approval");
    expect(String(edits[0]?.body)).not.toContain("On hold");
    expect(replyOf(sent)).toContain("(by @carol) is lifted");
    expect(holdStateOf(readVoteLog(log.annotations))).toEqual({ kind: "free" });
  });

  it("lets someone who may approve lift another person's hold", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun, seed } = checkRunAfter([heldEntry("carol")]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      ...nockNoticeEdit([]),
    ];
    const log = fakeAnnotationLog(9001, { seed });

    await receive(probot, "issue_comment", pullRequestComment({ login: "alice", body: "/unhold" }));

    expectAllDone(scopes);
    expect(appendedEntries(log.bodies[0])).toEqual([
      expect.objectContaining({ actor: "alice", result: "unheld" }),
    ]);
  });

  it("refuses to lift another person's hold for a triage user, who may hold but not approve", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun, seed } = checkRunAfter([heldEntry("carol")]);
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [checkRun] }),
      ...nockNoPolicy(),
      nockPermission("tri", "triage"),
    ];
    const log = fakeAnnotationLog(9001, { seed });

    await receive(probot, "issue_comment", pullRequestComment({ login: "tri", body: "/unhold" }));

    expectAllDone(scopes);
    expect(replyOf(sent)).toContain(shown("the hold is @carol's"));
    expect(replyOf(sent)).toContain(shown("deciding needs write or higher"));
    expect(appendedEntries(log.bodies[0])).toEqual([
      expect.objectContaining({ actor: "tri", result: "refused" }),
    ]);
    expect(outputOf(log.bodies[0]).title).toBe("On hold by @carol");
  });

  it("answers a second /hold with who already holds it, and writes nothing", async () => {
    const { probot } = replica({ token: false });
    const sent = createSent();
    const { checkRun, seed } = checkRunAfter([heldEntry("carol")]);
    const scopes = nockPullRequestCommand(sent, { checkRuns: [checkRun] });
    const log = fakeAnnotationLog(9001, { seed });

    await receive(probot, "issue_comment", pullRequestComment({ login: "tri", body: "/hold" }));

    expectAllDone(scopes);
    expect(log.bodies).toEqual([]);
    expect(replyOf(sent)).toContain("is already on hold by @carol");
  });

  it("still refuses when a concurrent write painted the hold out of the check run's text: GitHub counts more annotations, so the log is read", async () => {
    const { probot } = replica();
    const hold = checkRunAfter([heldEntry()]);
    // The text knows no entry, but GitHub holds one annotation: the hold's.
    const { checkRun } = checkRunAfter([], { annotations: 1 });
    const scopes = [...nockNoPolicy(), nockPermission("alice", "write")];
    const log = fakeAnnotationLog(9001, { seed: hold.seed });

    await receive(probot, "check_run", buttonClick({ login: "alice", checkRun }));

    expectAllDone(scopes);
    // The hold's read, then the read after the refusal's write, which leaves the run pending
    // (closed is absorbing: approvals/decision-step.ts).
    expect(log.reads).toEqual([1, 2]);
    expect(appendedEntries(log.bodies[0])).toEqual([
      expect.objectContaining({
        result: "refused",
        detail: "on hold by @carol: the canary alarms fired",
      }),
    ]);
    // The check run shows the hold again.
    expect(outputOf(log.bodies[0]).title).toBe("On hold by @carol");
  });

  it("refuses the approval when the log that GitHub counts cannot be read (fails closed)", async () => {
    const { probot } = replica();
    const { checkRun } = checkRunAfter([], { annotations: 1 });
    const updates: JsonBody[] = [];
    const scopes = [
      ...nockNoPolicy(),
      nockPermission("alice", "write"),
      githubApi().get(`${repoPath}/check-runs/9001/annotations`).query(true).reply(502, {}),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ login: "alice", checkRun }));

    expectAllDone(scopes);
    expect(appendedEntries(updates[0])).toEqual([
      expect.objectContaining({
        result: "refused",
        detail: expect.stringContaining("could not read whether the approval is on hold"),
      }),
    ]);
  });
});

describe("a hold racing an approval: the annotation log's order decides", () => {
  it("a hold that arrives after the approval was decided says so and leaves the decision shown", async () => {
    const approver = replica();
    const holder = replica({ token: false });
    const { checkRun } = checkRunAfter([]);
    const put: Record<string, unknown>[] = [];
    const log = fakeAnnotationLog(9001);
    nockNoPolicy();
    nockPermission("alice", "write");
    nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put });
    nockPullRequestsForCommit(sha, []);

    await receive(approver.probot, "check_run", buttonClick({ login: "alice", checkRun }));
    // The holder's replica still lists the check run as pending (a stale read).
    const sent = createSent();
    const scopes = nockPullRequestCommand(sent, { checkRuns: [checkRun] });
    await receive(
      holder.probot,
      "issue_comment",
      pullRequestComment({ login: "tri", body: "/hold wait" }),
    );

    expectAllDone(scopes);
    expect(put).toHaveLength(1);
    expect(log.bodies).toHaveLength(1);
    expect(log.bodies[0]).toMatchObject({ conclusion: "success" });
    expect(replyOf(sent)).toContain("Nothing to hold");
    expect(replyOf(sent)).toContain(`was approved by ${shown("@alice")}`);
  });

  it("run together on two replicas: one answer to CodePipeline, the check run ends decided, and the log shows both in GitHub's order", async () => {
    const approver = replica();
    const holder = replica({ token: false });
    const { checkRun } = checkRunAfter([]);
    const put: Record<string, unknown>[] = [];
    const log = fakeAnnotationLog(9001);
    nockNoPolicy();
    nockPermission("alice", "write");
    nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: put });
    nockPullRequestsForCommit(sha, []);
    const sent = createSent();
    nockPullRequestCommand(sent, { checkRuns: [checkRun] });
    // The hold's policy, permission and notice edit, in case it reads the log before the decision.
    nockNoPolicy();
    nockPermission("tri", "triage");
    nockNoticeEdit([]);

    await Promise.all([
      receive(approver.probot, "check_run", buttonClick({ login: "alice", checkRun })),
      receive(
        holder.probot,
        "issue_comment",
        pullRequestComment({ login: "tri", body: "/hold wait" }),
      ),
    ]);

    expect(put).toHaveLength(1);
    expect(log.bodies.at(-1)).toMatchObject({ conclusion: "success" });
    const entries = readVoteLog(log.annotations);
    expect(entries.filter((entry) => entry.result === "approved")).toHaveLength(1);
    // Either the hold saw the decision (and says there is nothing to hold), or it was recorded
    // first while the click was already on its way: then the log lists it before the decision.
    const reply = replyOf(sent);
    expect(reply).toMatch(/Nothing to hold|is on hold/);
    if (reply.includes("is on hold")) {
      const held = entries.findIndex((entry) => entry.result === "held");
      const approved = entries.findIndex((entry) => entry.result === "approved");
      expect(held).toBeGreaterThanOrEqual(0);
      expect(held).toBeLessThan(approved);
    }
    expect(sent.replies).toHaveLength(1);
  });
});
