import { describe, expect, it } from "vitest";
import type { ApprovalAction } from "../../src/approvals/approval.js";
import { matchesAddress } from "../../src/policy/match-address.js";
import { parsePolicy, type Policy } from "../../src/policy/parse-policy.js";
import { ruleForApproval } from "../../src/policy/rule-for-approval.js";

function policyOf(raw: unknown): Policy {
  const load = parsePolicy(raw);
  if (load.kind !== "valid") throw new Error(load.problems.join("; "));
  return load.policy;
}

function action(address: string): ApprovalAction {
  const [pipelineName = "", stageName = "", actionName = ""] = address.split("/");
  return { region: "us-east-1", pipelineName, stageName, actionName };
}

describe("matchesAddress", () => {
  it.each([
    ["my-pipeline/Prod/*", "my-pipeline/Prod/Approve", true],
    ["my-pipeline/Prod/*", "my-pipeline/Prod/", true],
    ["my-pipeline/Prod/*", "my-pipeline/Production/Approve", false],
    ["my-pipeline/Prod*/*", "my-pipeline/Production/Approve", true],
    ["*/Prod/*", "any-pipeline/Prod/Gate", true],
    ["*/*", "a/b/c", false],
    ["my-pipeline/*", "my-pipeline/Prod/Approve", false],
    ["my-pipeline/Stage?/Gate", "my-pipeline/Stage2/Gate", true],
    ["my-pipeline/Stage?/Gate", "my-pipeline/Stage10/Gate", false],
    ["my-pipeline/prod/*", "my-pipeline/Prod/Approve", false],
    ["my.pipeline/Prod/Gate", "myXpipeline/Prod/Gate", false],
  ])("%s against %s: %s", (pattern, address, expected) => {
    expect(matchesAddress(pattern, address)).toBe(expected);
  });
});

describe("ruleForApproval", () => {
  const policy = policyOf({
    defaults: { min_permission: "maintain", channels: ["buttons"] },
    rules: [
      { match: "svc/Prod/*", required_approvals: 2, approvers: ["alice", "acme/Release"] },
      { match: "svc/*/*", required_approvals: 3, prevent_self_approval: true },
    ],
  });

  it("uses the built-in defaults without a file", () => {
    expect(ruleForApproval(policyOf(null), action("svc/Prod/Gate"))).toEqual({
      source: "defaults",
      minPermission: "write",
      requiredApprovals: 1,
      preventSelfApproval: false,
      unattributedChanges: "refuse",
      requireReasonOnReject: false,
      channels: ["buttons", "pr_comments", "commit_comments"],
      notifyPr: true,
    });
  });

  it("lets the first matching rule win, key by key over the file's defaults", () => {
    expect(ruleForApproval(policy, action("svc/Prod/Gate"))).toEqual({
      source: 'rules.0 ("svc/Prod/*")',
      minPermission: "maintain",
      requiredApprovals: 2,
      preventSelfApproval: false,
      unattributedChanges: "refuse",
      requireReasonOnReject: false,
      channels: ["buttons"],
      notifyPr: true,
      approvers: { users: ["alice"], teams: [{ org: "acme", slug: "release" }] },
    });
  });

  it("falls through to a later rule when an earlier one does not match", () => {
    expect(ruleForApproval(policy, action("svc/Staging/Gate"))).toMatchObject({
      source: 'rules.1 ("svc/*/*")',
      requiredApprovals: 3,
      preventSelfApproval: true,
    });
  });

  it("applies the file's defaults when no rule matches", () => {
    expect(ruleForApproval(policy, action("other/Prod/Gate"))).toMatchObject({
      source: "defaults",
      minPermission: "maintain",
      requiredApprovals: 1,
    });
  });
});
