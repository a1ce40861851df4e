import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { ruleForApproval } from "../../src/policy/rule-for-approval.js";

/**
 * The documented example is parsed by the real schema, so the docs cannot drift from the code.
 * The example is docs/policy.md's ```yaml block whose first line names the file.
 */
const docsPath = new URL("../../docs/policy.md", import.meta.url);
const marker = "# .github/codepipeline-approvals.yml";

function documentedExamples(): string[] {
  const markdown = readFileSync(docsPath, "utf8");
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? "")
    .filter((block) => block.startsWith(marker));
}

describe("the documented policy example", () => {
  it("exists", () => {
    expect(documentedExamples()).toHaveLength(1);
  });

  it("is valid under the real schema and uses every key", () => {
    const raw: unknown = parse(documentedExamples()[0] ?? "");
    const load = parsePolicy(raw);
    expect(load.kind === "invalid" ? load.problems : []).toEqual([]);
    expect(JSON.stringify(raw)).toEqual(
      expect.stringMatching(
        /(?=.*"min_permission")(?=.*"required_approvals")(?=.*"prevent_self_approval")(?=.*"unattributed_changes")(?=.*"require_reason_on_reject")(?=.*"channels")(?=.*"notify_pr")(?=.*"approvers")(?=.*"match")/,
      ),
    );
  });

  it("means what the text says: two approvers from the list for Prod", () => {
    const load = parsePolicy(parse(documentedExamples()[0] ?? ""));
    if (load.kind !== "valid") throw new Error("invalid example");
    const prod = {
      region: "us-east-1",
      pipelineName: "my-pipeline",
      stageName: "Prod",
      actionName: "Gate",
    };
    expect(ruleForApproval(load.policy, prod)).toMatchObject({
      requiredApprovals: 2,
      preventSelfApproval: true,
      approvers: { users: ["alice"], teams: [{ org: "acme", slug: "release" }] },
    });
  });
});
