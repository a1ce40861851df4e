import { describe, expect, it } from "vitest";
import type { HistoryEntry, Quorum } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { voteAnnotation } from "../../src/approvals/vote-log.js";
import { accountIdOf, approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import { nockInstallationToken, nockPermission, type JsonBody } from "../helpers/github-api.js";
import { fakeAnnotationLog, nockPolicyFile } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

/** Votes belong to accounts (numeric ids); logins are only shown (docs/design.md). */
const twoApprovals = "defaults:\n  required_approvals: 2\n";
const quorum: Quorum = { required: 2, minPermission: "write", excludesAuthors: false };

function replica() {
  nockInstallationToken();
  return createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date("2026-11-28T12:00:00Z"),
  }).probot;
}

function vote(login: string, actorId: number): HistoryEntry {
  return {
    id: `seed-${login}`,
    at: "2026-11-28T11:59:00.000Z",
    actor: login,
    actorId,
    channel: "buttons",
    verdict: "Approved",
    result: "counted",
    required: 2,
  };
}

function checkRunAfter(entries: HistoryEntry[]) {
  return {
    checkRun: approvalCheckRun({
      approval: pendingApproval,
      record: { ...newRecord(pendingApproval), history: entries, quorum },
    }),
    seed: entries.map(voteAnnotation),
  };
}

function entryOf(annotation: unknown): JsonBody {
  const raw = String((annotation as JsonBody).raw_details);
  return JSON.parse(raw.slice(raw.indexOf("{"))) as JsonBody;
}

describe("votes belong to accounts", () => {
  it("counts a renamed account once: its second approval under a new login reaches no quorum", async () => {
    const app = replica();
    const { checkRun, seed } = checkRunAfter([vote("alice", accountIdOf("alice"))]);
    nockPolicyFile(twoApprovals);
    nockPermission("alice-renamed", "write");
    const log = fakeAnnotationLog(9001, { seed });

    // No PutApprovalResult is intercepted: a second approver would call it, and fail the test.
    await receive(
      app,
      "check_run",
      buttonClick({ login: "alice-renamed", userId: accountIdOf("alice"), checkRun }),
    );

    expect(log.bodies).toHaveLength(1);
    expect((log.bodies[0]!.output as JsonBody).title).toBe("1 of 2 approvals: @alice");
  });

  it("counts two accounts as two approvers and records each vote's account id", async () => {
    const app = replica();
    const { checkRun, seed } = checkRunAfter([vote("alice", accountIdOf("alice"))]);
    nockPolicyFile(twoApprovals);
    nockPermission("bob", "write");
    const put: Record<string, unknown>[] = [];
    nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests: put });
    const log = fakeAnnotationLog(9001, { seed });

    await receive(app, "check_run", buttonClick({ login: "bob", checkRun }));

    expect(put).toHaveLength(1);
    expect(entryOf(log.annotations[1])).toMatchObject({
      actor: "bob",
      actorId: accountIdOf("bob"),
    });
    expect(log.bodies.at(-1)).toMatchObject({ output: { title: "Approved by @alice, @bob" } });
  });
});
