import { describe, expect, it } from "vitest";
import type { ChangeAuthor } from "../../src/github/change-authors.js";
import {
  evaluateDecision,
  lookupsNeeded,
  type DecisionFacts,
  type PolicyVerdict,
} from "../../src/policy/evaluate-decision.js";
import { splitApprovers, type ApprovalRule } from "../../src/policy/rule-for-approval.js";

const baseRule: ApprovalRule = {
  source: "defaults",
  minPermission: "write",
  requiredApprovals: 1,
  preventSelfApproval: false,
  unattributedChanges: "refuse",
  requireReasonOnReject: false,
  channels: ["buttons", "pr_comments", "commit_comments"],
  notifyPr: true,
};

const baseFacts: DecisionFacts = {
  login: "bob",
  isBot: false,
  role: "write",
  channel: "buttons",
  verdict: "Approved",
};

const release = splitApprovers(["acme/release"]);
const authors: ChangeAuthor[] = [
  { login: "ann", as: "commit author" },
  { login: "cory", as: "commit co-author" },
  { login: "carl", as: "committer" },
  { login: "paula", as: "author of pull request #12" },
  { login: "max", as: "merged pull request #12" },
];

type Case = [
  name: string,
  rule: Partial<ApprovalRule>,
  facts: Partial<DecisionFacts>,
  expected: PolicyVerdict["kind"] | string,
];

/** `expected` is "allowed", or a text the refusal's reason must contain. */
function check(rule: Partial<ApprovalRule>, facts: Partial<DecisionFacts>, expected: string) {
  const verdict = evaluateDecision({ ...baseRule, ...rule }, { ...baseFacts, ...facts });
  if (expected === "allowed") expect(verdict).toMatchObject({ kind: "allowed" });
  else expect(verdict).toEqual({ kind: "refused", reason: expect.stringContaining(expected) });
}

describe("evaluateDecision", () => {
  describe("permissions", () => {
    it.each<Case>([
      ["write meets the default write", {}, { role: "write" }, "allowed"],
      ["maintain is above write", {}, { role: "maintain" }, "allowed"],
      ["admin is above everything", { minPermission: "admin" }, { role: "admin" }, "allowed"],
      [
        "read is below write",
        {},
        { role: "read" },
        "@bob has read permission; deciding needs write or higher",
      ],
      ["triage is below write", {}, { role: "triage" }, "@bob has triage permission"],
      ["no access at all", {}, { role: "none" }, "@bob has none permission"],
      [
        "maintain is below admin",
        { minPermission: "admin" },
        { role: "maintain" },
        "deciding needs admin or higher",
      ],
      [
        "min_permission read lets readers decide",
        { minPermission: "read" },
        { role: "read" },
        "allowed",
      ],
      [
        "bots never decide",
        {},
        { isBot: true, role: "admin" },
        "bots and apps may not decide approvals",
      ],
    ])("%s", (_name, rule, facts, expected) => check(rule, facts, expected));
  });

  describe("approvers: users and teams", () => {
    it.each<Case>([
      ["a listed user", { approvers: splitApprovers(["bob"]) }, {}, "allowed"],
      ["a listed user, whatever the case", { approvers: splitApprovers(["Bob"]) }, {}, "allowed"],
      [
        "a member of a listed team",
        { approvers: release },
        { teams: { "acme/release": "member" } },
        "allowed",
      ],
      [
        "not in the only team",
        { approvers: release },
        { teams: { "acme/release": "not-member" } },
        "@bob is not in acme/release",
      ],
      [
        "in none of two teams",
        { approvers: splitApprovers(["acme/release", "acme/ops"]) },
        { teams: { "acme/release": "not-member", "acme/ops": "not-member" } },
        "@bob is not in acme/release or acme/ops",
      ],
      [
        "one team failed but another says member",
        { approvers: splitApprovers(["acme/release", "acme/ops"]) },
        { teams: { "acme/release": { error: "HTTP 500" }, "acme/ops": "member" } },
        "allowed",
      ],
      [
        "a team lookup failed and no other team says member (fails closed)",
        { approvers: release },
        { teams: { "acme/release": { error: "HTTP 500" } } },
        "could not check whether @bob is in acme/release (HTTP 500)",
      ],
      [
        "a team never looked up counts as unknown",
        { approvers: release },
        {},
        "could not check whether @bob is in acme/release",
      ],
      [
        "not among listed users",
        { approvers: splitApprovers(["alice", "carol"]) },
        {},
        "@bob is not one of the approvers (@alice, @carol)",
      ],
      [
        "neither listed nor in the team",
        { approvers: splitApprovers(["alice", "acme/release"]) },
        { teams: { "acme/release": "not-member" } },
        "@bob is not one of the approvers (@alice) and not in acme/release",
      ],
      [
        "listed, but below min_permission",
        { approvers: splitApprovers(["bob"]) },
        { role: "read" },
        "deciding needs write",
      ],
      [
        "approvers apply to rejections too",
        { approvers: splitApprovers(["alice"]) },
        { verdict: "Rejected" },
        "is not one of the approvers",
      ],
    ])("%s", (_name, rule, facts, expected) => check(rule, facts, expected));
  });

  describe("prevent_self_approval, by each kind of author", () => {
    const strict = { preventSelfApproval: true };
    it.each<Case>([
      [
        "the commit's author",
        strict,
        { login: "ann", authors },
        "@ann may not approve a change they took part in (commit author)",
      ],
      ["a co-author", strict, { login: "cory", authors }, "(commit co-author)"],
      ["the committer", strict, { login: "carl", authors }, "(committer)"],
      [
        "the pull request's author",
        strict,
        { login: "paula", authors },
        "(author of pull request #12)",
      ],
      [
        "whoever merged the pull request",
        strict,
        { login: "max", authors },
        "(merged pull request #12)",
      ],
      ["an author, whatever the case", strict, { login: "ANN", authors }, "may not approve"],
      [
        "someone who is several kinds at once is told each",
        strict,
        { login: "ann", authors: [...authors, { login: "ann", as: "committer" }] },
        "(commit author, committer)",
      ],
      ["someone else", strict, { login: "bob", authors }, "allowed"],
      [
        "an author may still reject",
        strict,
        { login: "ann", authors, verdict: "Rejected" },
        "allowed",
      ],
      [
        "authors that could not be read (fails closed)",
        strict,
        { authors: { error: "HTTP 502" } },
        "could not check who authored this change (HTTP 502)",
      ],
      ["the author, when the rule allows it", {}, { login: "ann", authors }, "allowed"],
    ])("%s", (_name, rule, facts, expected) => check(rule, facts, expected));
  });

  describe("channels", () => {
    it.each<Case>([
      ["buttons are on by default", {}, { channel: "buttons" }, "allowed"],
      [
        "reviews are off by default",
        {},
        { channel: "reviews" },
        "decisions by PR review are not allowed for this approval",
      ],
      ["a rule can turn reviews on", { channels: ["reviews"] }, { channel: "reviews" }, "allowed"],
      [
        "a rule can turn buttons off",
        { channels: ["pr_comments"], source: 'rules.0 ("p/Prod/*")' },
        {},
        'policy rules.0 ("p/Prod/*") allows PR comments',
      ],
      ["no channel at all", { channels: [] }, {}, "allows no GitHub channel"],
    ])("%s", (_name, rule, facts, expected) => check(rule, facts, expected));
  });

  describe("require_reason_on_reject", () => {
    const strict = { requireReasonOnReject: true };
    it.each<Case>([
      [
        "a comment without a reason",
        strict,
        { verdict: "Rejected", channel: "pr_comments" },
        "a reason is required to reject: `/reject <reason>`",
      ],
      [
        "a blank reason",
        strict,
        { verdict: "Rejected", channel: "pr_comments", reason: "  " },
        "a reason is required",
      ],
      [
        "the button, which cannot carry one",
        strict,
        { verdict: "Rejected" },
        "a button cannot carry one",
      ],
      [
        "a reason given",
        strict,
        { verdict: "Rejected", channel: "pr_comments", reason: "breaks prod" },
        "allowed",
      ],
      ["approvals need no reason", strict, {}, "allowed"],
      ["no reason needed by default", {}, { verdict: "Rejected" }, "allowed"],
    ])("%s", (_name, rule, facts, expected) => check(rule, facts, expected));
  });

  it.each([1, 2, 5])("passes the quorum of %i on to the decision path", (requiredApprovals) => {
    expect(evaluateDecision({ ...baseRule, requiredApprovals }, baseFacts)).toEqual({
      kind: "allowed",
      requiredApprovals,
    });
  });
});

describe("lookupsNeeded", () => {
  it.each<
    [string, Partial<ApprovalRule>, Partial<DecisionFacts>, { teams: string[]; authors: boolean }]
  >([
    ["nothing without approvers or self-approval rules", {}, {}, { teams: [], authors: false }],
    [
      "the teams, for someone not listed by name",
      { approvers: splitApprovers(["alice", "acme/release"]) },
      {},
      { teams: ["acme/release"], authors: false },
    ],
    [
      "no teams for someone listed by name",
      { approvers: splitApprovers(["bob", "acme/release"]) },
      {},
      { teams: [], authors: false },
    ],
    [
      "the authors, for an approval under prevent_self_approval",
      { preventSelfApproval: true },
      {},
      { teams: [], authors: true },
    ],
    [
      "no authors for a rejection",
      { preventSelfApproval: true },
      { verdict: "Rejected" },
      { teams: [], authors: false },
    ],
  ])("asks for %s", (_name, rule, facts, expected) => {
    const needs = lookupsNeeded({ ...baseRule, ...rule }, { ...baseFacts, ...facts });
    expect({ teams: needs.teams.map((t) => `${t.org}/${t.slug}`), authors: needs.authors }).toEqual(
      expected,
    );
  });
});
