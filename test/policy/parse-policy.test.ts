import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { describeInvalidPolicy, parsePolicy } from "../../src/policy/parse-policy.js";

const issueExample = `
defaults:
  min_permission: write
  required_approvals: 1
  prevent_self_approval: false
  require_reason_on_reject: false
  channels: [buttons, pr_comments, commit_comments]
  notify_pr: true
rules:
  - match: "my-pipeline/Prod/*"
    approvers: [alice, acme/release]
    required_approvals: 2
    prevent_self_approval: true
`;

function problemsOf(yaml: string): string[] {
  const load = parsePolicy(parse(yaml));
  return load.kind === "invalid" ? load.problems : [];
}

describe("parsePolicy", () => {
  it("accepts the example of issue 4, key for key", () => {
    const load = parsePolicy(parse(issueExample));
    expect(load).toMatchObject({
      kind: "valid",
      policy: {
        defaults: {
          min_permission: "write",
          channels: ["buttons", "pr_comments", "commit_comments"],
        },
        rules: [
          {
            match: "my-pipeline/Prod/*",
            approvers: ["alice", "acme/release"],
            required_approvals: 2,
            prevent_self_approval: true,
          },
        ],
      },
    });
  });

  it("treats a missing or empty file as the defaults", () => {
    expect(parsePolicy(null)).toEqual({
      kind: "valid",
      policy: { defaults: {}, rules: [], files: [] },
    });
  });

  it("accepts approvers written as mentions", () => {
    const load = parsePolicy({ defaults: { approvers: ["@alice", "@acme/release"] } });
    expect(load).toMatchObject({ policy: { defaults: { approvers: ["alice", "acme/release"] } } });
  });

  it.each([
    [
      "rules:\n  - match: a/b/c\n    required_approvals: 0",
      "rules.0.required_approvals: Too small: expected number to be >=1",
    ],
    [
      "rules:\n  - match: a/b/c\n    required_approvals: 1.5",
      "rules.0.required_approvals: Invalid input: expected int, received number",
    ],
    [
      "defaults:\n  prevent_self_aproval: true",
      'defaults: Unrecognized key: "prevent_self_aproval"',
    ],
    [
      "defaults:\n  min_permission: owner",
      'defaults.min_permission: Invalid option: expected one of "read"|"triage"|"write"|"maintain"|"admin"',
    ],
    ["defaults:\n  channels: [buttons, slack]", "defaults.channels.1: Invalid option"],
    [
      "defaults:\n  prevent_self_approval: yes",
      "defaults.prevent_self_approval: Invalid input: expected boolean, received string",
    ],
    ["rules:\n  - match: my-pipeline/*", 'rules.0.match: expected "pipeline/stage/action"'],
    [
      "rules:\n  - required_approvals: 2",
      "rules.0.match: Invalid input: expected string, received undefined",
    ],
    [
      "rules:\n  - match: a/b/c\n    approvers: [acme/release/x]",
      'rules.0.approvers.0: expected a GitHub login ("alice") or an organization team ("acme/release")',
    ],
    ["rules:\n  - match: a/b/c\n    approvers: []", "rules.0.approvers: Too small"],
    ["rule:\n  - match: a/b/c", 'Unrecognized key: "rule"'],
    ["- match: a/b/c", "Invalid input: expected object, received array"],
  ])("rejects %j with zod's path and message", (yaml, problem) => {
    expect(problemsOf(yaml).join("\n")).toContain(problem);
  });

  it("lists every problem at once", () => {
    expect(problemsOf("defaults:\n  required_approvals: 0\n  notify_pr: 1")).toHaveLength(2);
  });

  it("says which files were read and quotes each problem", () => {
    expect(
      describeInvalidPolicy({
        problems: ["rules.0.required_approvals: Too small: expected number to be >=1"],
        files: ["octo-org/.github:.github/codepipeline-approvals.yml"],
      }),
    ).toBe(
      "the policy file is invalid: rules.0.required_approvals: Too small: expected number to be >=1 (in octo-org/.github:.github/codepipeline-approvals.yml)",
    );
  });
});
