import { describe, expect, it } from "vitest";
import type { PolicyProblem } from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { nockInstallationToken, nockPermission, type JsonBody } from "../helpers/github-api.js";
import { fakeAnnotationLog, nockPolicyFile } from "../helpers/github-policy-api.js";
import { createTestProbot, receive } from "../helpers/probot.js";

/**
 * A check run created while the policy file was invalid says nobody may decide, and why; the first
 * decision that reads a valid policy replaces that with who may decide. Through the button handler.
 */
const invalid: PolicyProblem = {
  kind: "invalid",
  files: ["octo-org/service:.github/codepipeline-approvals.yml"],
  problems: ["defaults.required_approvals: Invalid input: expected number, received string"],
};

function clickOnInvalidPolicyRun(policy: string) {
  nockInstallationToken();
  const { probot } = createTestProbot({
    pipelines: createTestPipelineGateway(),
    now: () => new Date("2026-11-28T12:00:00Z"),
  });
  nockPolicyFile(policy);
  const log = fakeAnnotationLog(9001);
  const checkRun = approvalCheckRun({
    approval: pendingApproval,
    record: { ...newRecord(pendingApproval), policyProblem: invalid },
  });
  return { probot, log, click: buttonClick({ login: "alice", checkRun }) };
}

const outputOf = (body: JsonBody | undefined) => (body?.output ?? {}) as Record<string, string>;

describe("a check run created under an invalid policy", () => {
  it("shows who may decide once a decision reads a valid policy", async () => {
    const { probot, log, click } = clickOnInvalidPolicyRun("defaults:\n  required_approvals: 2\n");
    nockPermission("alice", "write");

    await receive(probot, "check_run", click);

    expect(log.bodies).toHaveLength(1);
    const { title, summary } = outputOf(log.bodies[0]);
    expect(title).toBe("1 of 2 approvals: @alice");
    expect(summary).toContain("- **Needs** 2 approvals from anyone");
    expect(summary).not.toContain("Nobody yet");
    // The record drops the problem too, so no later writer can bring it back.
    expect(outputOf(log.bodies[0]).text).not.toContain('"policyProblem"');
  });

  it("keeps saying why nobody may decide while the policy stays invalid", async () => {
    const { probot, log, click } = clickOnInvalidPolicyRun("defaults:\n  required_approvals: [\n");

    await receive(probot, "check_run", click);

    expect(log.bodies).toHaveLength(1);
    const { title, summary } = outputOf(log.bodies[0]);
    expect(title).toBe("Waiting for approval · policy file invalid, every decision refused");
    expect(summary).toContain("⚠️ Nobody yet:");
    expect(summary).toContain("- `defaults.required_approvals: Invalid input");
    expect(outputOf(log.bodies[0]).text).toContain('"policyProblem"');
  });
});
