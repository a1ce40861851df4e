import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { controlsForApproval } from "../../src/controls/controls-for-approval.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { ruleForApproval } from "../../src/policy/rule-for-approval.js";

/** docs/controls.md's example policy, parsed by the real schema, so the docs cannot drift. */
const marker = "# .github/codepipeline-approvals.yml (controls)";

function documentedExample(): unknown {
  const markdown = readFileSync(new URL("../../docs/controls.md", import.meta.url), "utf8");
  const blocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? "")
    .filter((block) => block.startsWith(marker));
  expect(blocks).toHaveLength(1);
  return parse(blocks[0] ?? "");
}

describe("the documented controls example", () => {
  it("is valid and means what the text says: Prod's on-call may break glass, anyone may hold it", () => {
    const load = parsePolicy(documentedExample());
    if (load.kind !== "valid") throw new Error(load.problems.join("; "));
    const prod = {
      region: "us-east-1",
      pipelineName: "my-pipeline",
      stageName: "Prod",
      actionName: "Gate",
    };
    const staging = { ...prod, stageName: "Staging" };
    expect(controlsForApproval(load.policy, prod)).toEqual({
      holdMinPermission: "read",
      breakGlass: { users: ["alice"], teams: [{ org: "acme", slug: "oncall" }] },
    });
    expect(controlsForApproval(load.policy, staging)).toEqual({
      holdMinPermission: "triage",
      breakGlass: { users: [], teams: [] },
    });
    expect(ruleForApproval(load.policy, prod)).toMatchObject({ requiredApprovals: 2 });
  });
});
