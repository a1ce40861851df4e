import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/policy/parse-duration.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { ruleForApproval } from "../../src/policy/rule-for-approval.js";

const minute = 60_000;
const prod = { region: "us-east-1", pipelineName: "web", stageName: "Prod", actionName: "Gate" };
const staging = { ...prod, stageName: "Staging" };

function problemsOf(yaml: string): string[] {
  const load = parsePolicy(parse(yaml));
  return load.kind === "invalid" ? load.problems : [];
}

describe("remind_before", () => {
  it.each([
    ["30m", 30 * minute],
    ["4h", 240 * minute],
    ["1d", 1440 * minute],
    ["1d12h", 2160 * minute],
    ["2h30m", 150 * minute],
    ["1d1h1m", 1501 * minute],
    ["7d", 7 * 1440 * minute],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(problemsOf(`defaults:\n  remind_before: "${text}"\n`)).toEqual([]);
  });

  it.each([
    ["a bare number", "30"],
    ["seconds", '"30s"'],
    ["weeks", '"2w"'],
    ["units out of order", '"12h1d"'],
    ["zero", '"0m"'],
    ["an empty string", '""'],
    ["a negative duration", '"-1h"'],
    ["text", '"soon"'],
    ["a list", "[1h]"],
  ])("refuses %s, quoting zod's path", (_what, value) => {
    const [problem] = problemsOf(`defaults:\n  remind_before: ${value}\n`);
    expect(problem).toMatch(
      /^defaults\.remind_before: expected a duration such as "30m", "4h", "1d"/,
    );
  });

  it("refuses more than the 7 days an approval can wait", () => {
    expect(problemsOf("rules:\n  - match: '*/*/*'\n    remind_before: 7d1m\n")).toEqual([
      "rules.0.remind_before: expected at most 7d: an approval expires 7 days after it starts",
    ]);
  });

  it("is unset by default: no reminder", () => {
    const load = parsePolicy(null);
    if (load.kind !== "valid") throw new Error("invalid");
    expect(ruleForApproval(load.policy, prod).remindBeforeMs).toBeUndefined();
  });

  it("applies per rule, key by key over the defaults", () => {
    const load = parsePolicy(
      parse(
        [
          "defaults:",
          "  remind_before: 4h",
          "rules:",
          "  - match: 'web/Prod/*'",
          "    remind_before: 1d",
          "  - match: 'web/Staging/*'",
          "    required_approvals: 2",
        ].join("\n"),
      ),
    );
    if (load.kind !== "valid") throw new Error(load.problems.join("; "));
    expect(ruleForApproval(load.policy, prod).remindBeforeMs).toBe(1440 * minute);
    expect(ruleForApproval(load.policy, staging).remindBeforeMs).toBe(240 * minute);
  });
});
