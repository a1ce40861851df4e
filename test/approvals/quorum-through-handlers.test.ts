import { describe, expect, it } from "vitest";
import type { HistoryEntry, Quorum } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { voteAnnotation } from "../../src/approvals/vote-log.js";
import { approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import {
  createTestPipelineGateway,
  nockCodePipeline,
  nockCodePipelineError,
} from "../helpers/codepipeline-api.js";
import { nockInstallationToken, nockPermission, type JsonBody } from "../helpers/github-api.js";
import { fakeAnnotationLog, nockPolicyFile } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

const twoApprovals = "defaults:\n  required_approvals: 2\n";
const quorum: Quorum = { required: 2, minPermission: "write", excludesAuthors: false };

/** One replica of the app: its own Probot, installation token cache and decision guard. */
function replica(at = "2026-11-28T12:00:00Z") {
  nockInstallationToken();
  return createTestProbot({ pipelines: createTestPipelineGateway(), now: () => new Date(at) })
    .probot;
}

function nockPut(requests: Record<string, unknown>[]) {
  return nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests });
}

function counted(
  actor: string,
  id = `seed-${actor}`,
  at = "2026-11-28T11:59:00.000Z",
): HistoryEntry {
  return { id, at, actor, channel: "buttons", verdict: "Approved", result: "counted", required: 2 };
}

/** The check run after earlier votes: its record and its annotation log agree. */
function checkRunAfter(entries: HistoryEntry[]) {
  return {
    checkRun: approvalCheckRun({
      approval: pendingApproval,
      record: { ...newRecord(pendingApproval), history: entries, quorum },
    }),
    seed: entries.map(voteAnnotation),
  };
}

function outputOf(update: JsonBody | undefined): JsonBody {
  return (update?.output ?? {}) as JsonBody;
}

describe("a quorum of two, through the button handler", () => {
  it("makes exactly one PutApprovalResult naming both when two replicas take two approvals at once", async () => {
    const [one, two] = [replica(), replica()];
    nockPolicyFile(twoApprovals);
    nockPolicyFile(twoApprovals);
    nockPermission("alice", "write");
    nockPermission("bob", "write");
    const put: Record<string, unknown>[] = [];
    // A second answer would be intercepted and recorded too, so the count below can fail.
    const [putScope] = [nockPut(put), nockPut(put)];
    // Both appends land before either replica reads the log.
    const log = fakeAnnotationLog(9001, { holdPatches: 2 });

    await Promise.all([
      receive(one, "check_run", buttonClick({ login: "alice" })),
      receive(two, "check_run", buttonClick({ login: "bob" })),
    ]);

    expect(putScope.pendingMocks()).toEqual([]);
    expect(put).toHaveLength(1);
    const summary = String((put[0]?.result as JsonBody).summary);
    expect(summary).toMatch(
      /^Approved via GitHub by @(alice, @bob|bob, @alice) \(check run button\)$/,
    );
    expect(log.reads).toEqual([2, 2]);
    const last = log.bodies.at(-1);
    expect(last).toMatchObject({ conclusion: "success", actions: [] });
    expect(String(outputOf(last).title)).toMatch(/^Approved by @(alice, @bob|bob, @alice)$/);
  });

  it("serializes two approvals on one replica: the first is counted, the second decides", async () => {
    const app = replica();
    nockPolicyFile(twoApprovals);
    nockPolicyFile(twoApprovals);
    nockPermission("alice", "write");
    nockPermission("bob", "write");
    const put: Record<string, unknown>[] = [];
    nockPut(put);
    nockPut(put);
    const log = fakeAnnotationLog(9001);

    await Promise.all([
      receive(app, "check_run", buttonClick({ login: "alice" })),
      receive(app, "check_run", buttonClick({ login: "bob" })),
    ]);

    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({
      result: {
        status: "Approved",
        summary: "Approved via GitHub by @alice, @bob (check run button)",
      },
    });
    expect(log.bodies.map((body) => outputOf(body).title)).toEqual([
      "1 of 2 approvals: @alice",
      "2 of 2 approvals: @alice, @bob",
      "Approved by @alice, @bob",
    ]);
  });

  it("counts a first approval without calling CodePipeline and shows who may still approve", async () => {
    const app = replica();
    nockPolicyFile("defaults:\n  required_approvals: 2\n  approvers: [alice, bob, carol]\n");
    nockPermission("alice", "write");
    const log = fakeAnnotationLog(9001);

    await receive(app, "check_run", buttonClick({ login: "alice" }));

    expect(log.bodies).toHaveLength(1);
    const output = outputOf(log.bodies[0]);
    expect(output.title).toBe("1 of 2 approvals: @alice");
    expect(String(output.summary)).toContain(
      "**Still needed**: 1 more approval from @\u200dbob or @\u200dcarol",
    );
    expect(output.annotations).toEqual([
      expect.objectContaining({
        title: "@alice approved (counted toward the quorum)",
        path: ".github",
      }),
    ]);
  });

  it("counts the same person approving twice once", async () => {
    const app = replica();
    const { checkRun, seed } = checkRunAfter([counted("alice")]);
    nockPolicyFile(twoApprovals);
    nockPermission("alice", "write");
    const log = fakeAnnotationLog(9001, { seed });

    await receive(app, "check_run", buttonClick({ login: "alice", checkRun }));

    // No PutApprovalResult is intercepted: one would fail the decision and add a PATCH.
    expect(log.bodies).toHaveLength(1);
    expect(outputOf(log.bodies[0]).title).toBe("1 of 2 approvals: @alice");
  });

  it("rejects at once when an authorized person rejects during a partial quorum", async () => {
    const app = replica();
    const { checkRun, seed } = checkRunAfter([counted("alice")]);
    nockPolicyFile(twoApprovals);
    nockPermission("carol", "write");
    const put: Record<string, unknown>[] = [];
    nockPut(put);
    const log = fakeAnnotationLog(9001, { seed });

    await receive(
      app,
      "check_run",
      buttonClick({ login: "carol", identifier: "reject", checkRun }),
    );

    expect(put).toEqual([
      expect.objectContaining({
        result: { status: "Rejected", summary: "Rejected via GitHub by @carol (check run button)" },
      }),
    ]);
    // A rejection goes straight to CodePipeline: the log is not read.
    expect(log.reads).toEqual([]);
    expect(log.bodies[0]).toMatchObject({
      conclusion: "failure",
      output: { title: "Rejected by @carol" },
    });
  });

  it("lets the next approval retry when the leader's PutApprovalResult failed", async () => {
    const { checkRun, seed } = checkRunAfter([counted("alice")]);
    const log = fakeAnnotationLog(9001, { seed });

    const first = replica();
    nockPolicyFile(twoApprovals);
    nockPermission("bob", "write");
    nockCodePipelineError("PutApprovalResult", "ThrottlingException");
    await receive(first, "check_run", buttonClick({ login: "bob", checkRun }));
    expect(log.bodies.at(-1)).toMatchObject({ conclusion: "action_required" });

    const second = replica("2026-11-28T12:00:30Z");
    nockPolicyFile(twoApprovals);
    nockPermission("bob", "write");
    const put: Record<string, unknown>[] = [];
    nockPut(put);
    await receive(second, "check_run", buttonClick({ login: "bob", checkRun }));

    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({
      result: { summary: "Approved via GitHub by @alice, @bob (check run button)" },
    });
    expect(log.bodies.at(-1)).toMatchObject({ conclusion: "success" });
  });

  it("shows the decision again when a late vote finds the log already closed", async () => {
    const app = replica();
    const decided: HistoryEntry = {
      ...counted("bob", "seed-decided"),
      result: "approved",
      closes: {
        kind: "decided",
        status: "Approved",
        deciders: ["alice", "bob"],
        channel: "buttons",
        at: "2026-11-28T11:59:30.000Z",
      },
    };
    const { seed } = checkRunAfter([counted("alice"), counted("bob"), decided]);
    const { checkRun } = checkRunAfter([counted("alice")]);
    nockPolicyFile(twoApprovals);
    nockPermission("carol", "write");
    const log = fakeAnnotationLog(9001, { seed });

    await receive(app, "check_run", buttonClick({ login: "carol", checkRun }));

    expect(log.bodies).toHaveLength(2);
    expect(log.bodies[1]).toMatchObject({
      conclusion: "success",
      output: { title: "Approved by @alice, @bob" },
    });
  });

  it("does not count a vote GitHub does not list back, and asks to approve again", async () => {
    const app = replica();
    nockPolicyFile(twoApprovals);
    nockPermission("alice", "write");
    const log = fakeAnnotationLog(9001, { hide: true });

    await receive(app, "check_run", buttonClick({ login: "alice" }));

    // Three reads for the vote; one after the "failed" entry, which leaves the run pending and so
    // checks the log for a decision it might have painted over (decision-step.ts).
    expect(log.reads).toHaveLength(4);
    expect(log.bodies).toHaveLength(2);
    expect(outputOf(log.bodies[1]).annotations).toEqual([
      expect.objectContaining({
        annotation_level: "warning",
        message: expect.stringContaining("approve again if the approval stays pending"),
      }),
    ]);
  });
});
