import pino from "pino";
import { describe, expect, it } from "vitest";
import { createDecisionGuard } from "../../src/approvals/decision-guard.js";
import { decideApproval } from "../../src/approvals/decide-approval.js";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import type { DecisionDeps } from "../../src/approvals/decision-types.js";
import { approvalCheckRunOn, otherApproval, pullRequestComment } from "../fixtures/comments.js";
import { accountIdOf } from "../fixtures/github.js";
import { createConversationProbot } from "../helpers/conversation-probot.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { repo } from "../helpers/github-api.js";
import { receive, TestOctokit } from "../helpers/probot.js";
import {
  createSent,
  expectAllDone,
  nockDecision,
  nockPullRequestCommand,
} from "./command-scenarios.js";

/**
 * A command decides once, and only what existed when it was written (docs/design.md). The
 * fixtures' comment 700 was written at 2026-11-28T11:30:00Z.
 */
const approvedByComment700: HistoryEntry = {
  id: "entry-1",
  at: "2026-11-28T11:30:05.000Z",
  actor: "alice",
  actorId: accountIdOf("alice"),
  channel: "pr_comments",
  source: "comment-700",
  verdict: "Approved",
  result: "counted",
  required: 2,
};

describe("a command decides once, and only what existed when it was written", () => {
  it("does not decide, when redelivered, an approval that appeared on the commit after the comment", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    // The first delivery decided the first approval; its reply was lost, so nothing marks it answered.
    const decided = approvalCheckRunOn({
      resolution: {
        kind: "decided",
        status: "Approved",
        deciders: ["alice"],
        channel: "pr_comments",
        at: "2026-11-28T11:30:05Z",
      },
    });
    const appearedLater = approvalCheckRunOn({
      approval: otherApproval({ stageName: "Prod" }),
      id: 9002,
      startedAt: "2026-11-28T11:45:00Z",
    });
    // No permission read, no PutApprovalResult, no check-run write is intercepted: any would fail.
    const scopes = nockPullRequestCommand(sent, { checkRuns: [decided, appearedLater] });

    await receive(probot, "issue_comment", pullRequestComment({ body: "/approve" }));

    expectAllDone(scopes);
    expect(sent.put).toEqual([]);
    expect(String(sent.replies[0]!.body)).toContain(
      "ℹ️ Nothing is waiting for a decision on this pull request.",
    );
  });

  it("decides nothing new when the same comment is handled again, and says so", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    // The comment's vote is in the record (a quorum of two), but its reply was never written.
    const counted = approvalCheckRunOn({ history: [approvedByComment700] });
    const scopes = nockPullRequestCommand(sent, { checkRuns: [counted] });

    await receive(probot, "issue_comment", pullRequestComment({ body: "/approve" }));

    expectAllDone(scopes);
    expect(sent.updates).toEqual([]);
    expect(String(sent.replies[0]!.body)).toContain(
      "ℹ️ Nothing new decided: this comment was already handled, with the outcome counted",
    );
  });

  it("refuses, on the decision path itself, a comment older than the approval's check run", async () => {
    const deps: DecisionDeps = {
      octokit: new TestOctokit({ auth: "unused" }),
      pipelines: createTestPipelineGateway(),
      authorize: () => Promise.reject(new Error("must not be asked")),
      guard: createDecisionGuard(),
      log: pino({ level: "silent" }),
    };

    const outcome = await decideApproval(
      {
        repo,
        checkRun: approvalCheckRunOn({ startedAt: "2026-11-28T11:45:00Z" }),
        actor: { login: "alice", id: accountIdOf("alice"), isBot: false },
        verdict: "Approved",
        channel: "pr_comments",
        source: { kind: "comment", id: 700, writtenAt: "2026-11-28T11:30:00Z" },
      },
      deps,
    );

    expect(outcome).toMatchObject({
      kind: "not-applicable",
      reason:
        "this approval appeared after the comment was written, so the comment does not decide it",
    });
  });

  it("decides the live run, not a duplicate closed to point at it, whatever order GitHub lists them in", async () => {
    const { probot } = createConversationProbot();
    const sent = createSent();
    const live = approvalCheckRunOn();
    const duplicate = approvalCheckRunOn({
      id: 9002,
      resolution: {
        kind: "superseded",
        duplicateOf: { id: 9001, url: "https://github.com/octo-org/service/runs/9001" },
      },
    });
    const scopes = [
      ...nockPullRequestCommand(sent, { checkRuns: [duplicate, live] }),
      ...nockDecision(sent),
    ];

    await receive(probot, "issue_comment", pullRequestComment({ body: "/approve" }));

    expectAllDone(scopes);
    expect(sent.put).toHaveLength(1);
    expect(sent.updates[0]).toMatchObject({ conclusion: "success" });
  });
});
