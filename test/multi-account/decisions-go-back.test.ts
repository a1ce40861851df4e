import { describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { token } from "../fixtures/codepipeline.js";
import { approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  nockInstallationToken,
  nockPermission,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";
import {
  nockAssumeRole,
  nockSignedCodePipeline,
  ownAccessKeyId,
  stagingAccount,
  testAccounts,
  type Signed,
} from "./aws-api.js";

const approved = { approvedAt: 1764331200.5 };

function setup() {
  nockInstallationToken();
  nockNoPolicy();
  return createTestProbot({
    pipelines: createTestPipelineGateway(testAccounts()),
    now: () => new Date("2026-11-28T12:00:00Z"),
  });
}

describe("a decision goes back to the account its approval came from", () => {
  it("answers a check run created before accounts were recorded in the bridge's own account, with its own credentials", async () => {
    const { probot } = setup();
    const legacy = approvalCheckRun();
    expect(JSON.parse(legacy.external_id)).not.toHaveProperty("account");
    const signed: Signed[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockPermission("alice", "write"),
      nockSignedCodePipeline("PutApprovalResult", approved, signed, { region: "us-east-1" }),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ identifier: "approve", checkRun: legacy }));

    expectAllDone(scopes);
    expect(signed).toEqual([
      expect.objectContaining({
        accessKeyId: ownAccessKeyId,
        sessionToken: undefined,
        body: expect.objectContaining({
          token,
          result: expect.objectContaining({ status: "Approved" }),
        }),
      }),
    ]);
    expect(updates[0]).toMatchObject({
      conclusion: "success",
      output: { title: "Approved by @alice" },
    });
    // Rewritten as it was: still no account, and no row naming one.
    expect(JSON.parse(String(updates[0]!.external_id))).not.toHaveProperty("account");
    expect(String((updates[0]!.output as JsonBody).summary)).not.toContain("AWS account");
  });

  it("answers another account's check run in that account, with its assumed role, and keeps naming the account", async () => {
    const { probot } = setup();
    const approval: PendingApproval = {
      ...pendingApproval,
      account: stagingAccount,
      accountAlias: "staging",
      region: "us-west-2",
    };
    const checkRun = approvalCheckRun({ approval, record: newRecord(approval) });
    const signed: Signed[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockPermission("alice", "write"),
      nockAssumeRole({ accessKeyId: "ASIASTAGING" }),
      nockSignedCodePipeline("PutApprovalResult", approved, signed),
      nockUpdateCheckRun(9001, updates),
    ];

    await receive(probot, "check_run", buttonClick({ identifier: "reject", checkRun }));

    expectAllDone(scopes);
    expect(signed).toEqual([
      expect.objectContaining({
        accessKeyId: "ASIASTAGING",
        scope: expect.stringMatching(/\/us-west-2\/codepipeline\/aws4_request$/),
        body: expect.objectContaining({ result: expect.objectContaining({ status: "Rejected" }) }),
      }),
    ]);
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    expect(String((updates[0]!.output as JsonBody).summary)).toContain(
      "| staging (`222222222222`) |",
    );
  });
});
