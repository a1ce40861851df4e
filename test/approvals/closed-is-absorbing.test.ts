import { describe, expect, it } from "vitest";
import type { HistoryEntry, Quorum } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { voteAnnotation } from "../../src/approvals/vote-log.js";
import { approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import { nockInstallationToken, nockPermission, type JsonBody } from "../helpers/github-api.js";
import { fakeAnnotationLog, nockPolicyFile } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

/**
 * Closed is absorbing (docs/design.md): a writer that starts from an older view and PATCHes the
 * check run as pending after another replica closed it must not leave it pending.
 */
const onePerson = "defaults:\n  required_approvals: 1\n";
const quorum: Quorum = { required: 1, minPermission: "write", excludesAuthors: false };

function replica() {
  nockInstallationToken();
  return createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date("2026-11-28T12:00:00Z"),
  }).probot;
}

/** What another replica's decision appended to the log: the closing entry. */
const decidedByAlice: HistoryEntry = {
  id: "decided-by-alice",
  at: "2026-11-28T11:59:30.000Z",
  actor: "alice",
  actorId: 1,
  channel: "buttons",
  verdict: "Approved",
  result: "approved",
  closes: {
    kind: "decided",
    status: "Approved",
    deciders: ["alice"],
    channel: "buttons",
    at: "2026-11-28T11:59:30.000Z",
  },
};

/** The check run as a webhook sent before the decision: still pending. */
const stalePending = approvalCheckRun({
  approval: pendingApproval,
  record: { ...newRecord(pendingApproval), quorum },
});

describe("closed is absorbing", () => {
  it("shows the decision again when a refusal's pending write lands after another replica decided", async () => {
    const app = replica();
    nockPolicyFile(onePerson);
    nockPermission("bob", "read");
    const log = fakeAnnotationLog(9001, { seed: [voteAnnotation(decidedByAlice)] });

    await receive(app, "check_run", buttonClick({ login: "bob", checkRun: stalePending }));

    // The refusal, written from the stale view, then the closed view rebuilt from the log.
    expect(log.bodies.map((body) => body.conclusion)).toEqual(["action_required", "success"]);
    expect(log.reads).toEqual([2]);
    const last = log.bodies.at(-1)!;
    expect(last).toMatchObject({ actions: [], output: { title: "Approved by @alice" } });
    // The repaint appends nothing: the log already holds both entries.
    expect((last.output as JsonBody).annotations).toBeUndefined();
    // The refusal stays in the audit trail beside the decision.
    expect(String((last.output as JsonBody).text)).toMatch(
      /@\u200dbob \| check run button \| approve \| refused/,
    );
  });

  it("reads the log once after a refusal and writes nothing more when nobody closed the approval", async () => {
    const app = replica();
    nockPolicyFile(onePerson);
    nockPermission("bob", "read");
    const log = fakeAnnotationLog(9001);

    await receive(app, "check_run", buttonClick({ login: "bob", checkRun: stalePending }));

    expect(log.bodies.map((body) => body.conclusion)).toEqual(["action_required"]);
    expect(log.reads).toEqual([1]);
  });

  it("ends closed when a decision and a refusal of two replicas write at the same moment", async () => {
    const [one, two] = [replica(), replica()];
    nockPolicyFile(onePerson);
    nockPolicyFile(onePerson);
    nockPermission("alice", "write");
    nockPermission("bob", "read");
    nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 });
    // Both PATCHes arrive before either is answered: whichever GitHub applies last, the refusal's
    // read of the log comes after both.
    const log = fakeAnnotationLog(9001, { holdPatches: 2 });

    await Promise.all([
      receive(one, "check_run", buttonClick({ login: "alice", checkRun: stalePending })),
      receive(two, "check_run", buttonClick({ login: "bob", checkRun: stalePending })),
    ]);

    expect(log.bodies.at(-1)).toMatchObject({
      conclusion: "success",
      actions: [],
      output: { title: "Approved by @alice" },
    });
    expect(log.bodies.filter((body) => body.conclusion === "success")).toHaveLength(2);
  });
});
