import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/approvals/approval.js";
import { parsePolicy, type PolicyLoad } from "../../src/policy/parse-policy.js";
import { isChannelEnabled, shouldNotifyPullRequests } from "../../src/policy/policy-switches.js";

const invalid: PolicyLoad = { kind: "invalid", problems: ["x"], files: [] };
const prod = { region: "us-east-1", pipelineName: "svc", stageName: "Prod", actionName: "Gate" };

describe("isChannelEnabled", () => {
  it.each<[string, unknown, Channel, boolean]>([
    ["buttons by default", null, "buttons", true],
    ["not reviews by default", null, "reviews", false],
    [
      "reviews when the defaults list them",
      { defaults: { channels: ["reviews"] } },
      "reviews",
      true,
    ],
    [
      "reviews when any rule lists them",
      { rules: [{ match: "a/b/c", channels: ["reviews"] }] },
      "reviews",
      true,
    ],
    [
      "not PR comments when the defaults leave them out",
      { defaults: { channels: ["buttons"] } },
      "pr_comments",
      false,
    ],
  ])("%s", (_name, raw, channel, expected) => {
    expect(isChannelEnabled(parsePolicy(raw), channel)).toBe(expected);
  });

  it("keeps the default channels on for an invalid policy, so commands are refused visibly", () => {
    expect(isChannelEnabled(invalid, "pr_comments")).toBe(true);
    expect(isChannelEnabled(invalid, "reviews")).toBe(false);
  });
});

describe("shouldNotifyPullRequests", () => {
  it.each<[string, unknown, boolean]>([
    ["by default", null, true],
    ["not when the defaults say no", { defaults: { notify_pr: false } }, false],
  ])("notifies %s", (_name, raw, expected) => {
    expect(shouldNotifyPullRequests(parsePolicy(raw))).toBe(expected);
  });

  it("follows the approval's rule when the approval is known", () => {
    const load = parsePolicy({ rules: [{ match: "svc/Prod/*", notify_pr: false }] });
    expect(shouldNotifyPullRequests(load, prod)).toBe(false);
    expect(shouldNotifyPullRequests(load, { ...prod, stageName: "Beta" })).toBe(true);
  });

  it("notifies when the policy is invalid", () => {
    expect(shouldNotifyPullRequests(invalid)).toBe(true);
  });
});
