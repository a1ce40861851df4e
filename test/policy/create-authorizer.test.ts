import { describe, expect, it } from "vitest";
import type { DecisionRequest } from "../../src/approvals/decision-types.js";
import type { GitHubClient } from "../../src/github/github-client.js";
import { createAuthorizer, type AuthorizerLookups } from "../../src/policy/create-authorizer.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { approvalCheckRun, pendingApproval } from "../fixtures/github.js";
import { repo } from "../helpers/github-api.js";
import { TestOctokit } from "../helpers/probot.js";

const octokit: GitHubClient = new TestOctokit({ auth: "unused" });
const request: DecisionRequest = {
  repo,
  checkRun: approvalCheckRun(),
  actor: { login: "bob", id: 1002, isBot: false },
  verdict: "Approved",
  channel: "buttons",
};

/** Lookups that record each call and answer when the test says so. */
function controlledLookups(raw: unknown) {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  const later = <T>(name: string, value: T) =>
    new Promise<T>((resolve) => {
      started.push(name);
      releases.push(() => resolve(value));
    });
  const lookups: AuthorizerLookups = {
    loadPolicy: () => later("policy", parsePolicy(raw)),
    getRepositoryRole: () => later("role", "write" as const),
    getTeamMembership: (_octokit, team) =>
      later(`team ${team.org}/${team.slug}`, "member" as const),
    getChangeAuthors: () => later("authors", [{ login: "ann", as: "commit author" }]),
  };
  const releaseAll = () => releases.splice(0).forEach((release) => release());
  return { lookups, started, releaseAll };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createAuthorizer", () => {
  it("reads the policy and the role together, then the teams and the authors together", async () => {
    const { lookups, started, releaseAll } = controlledLookups({
      defaults: {
        approvers: ["octo-org/release", "octo-org/ops"],
        prevent_self_approval: true,
        required_approvals: 2,
      },
    });
    const result = createAuthorizer(octokit, lookups)(request, pendingApproval);

    await tick();
    expect(started).toEqual(["policy", "role"]);
    releaseAll();
    await tick();
    expect(started.slice(2)).toEqual(["team octo-org/release", "team octo-org/ops", "authors"]);
    releaseAll();

    expect(await result).toEqual({
      kind: "allowed",
      requiredApprovals: 2,
      quorum: {
        required: 2,
        minPermission: "write",
        users: [],
        teams: ["octo-org/release", "octo-org/ops"],
        excludesAuthors: true,
        channels: ["buttons", "pr_comments", "commit_comments"],
        reasonOnReject: false,
      },
    });
  });

  it("looks nothing further up once the role already refuses", async () => {
    const lookups: AuthorizerLookups = {
      loadPolicy: async () =>
        parsePolicy({ defaults: { approvers: ["octo-org/release"], prevent_self_approval: true } }),
      getRepositoryRole: async () => "read",
      getTeamMembership: () => Promise.reject(new Error("must not be called")),
      getChangeAuthors: () => Promise.reject(new Error("must not be called")),
    };
    expect(await createAuthorizer(octokit, lookups)(request, pendingApproval)).toMatchObject({
      kind: "refused",
      reason: "@bob has read permission; deciding needs write or higher",
    });
  });

  it("refuses teams of another organization, which the installation cannot see", async () => {
    const lookups: AuthorizerLookups = {
      loadPolicy: async () => parsePolicy({ defaults: { approvers: ["elsewhere/release"] } }),
      getRepositoryRole: async () => "admin",
      getTeamMembership: () => Promise.reject(new Error("must not be called")),
      getChangeAuthors: () => Promise.reject(new Error("must not be called")),
    };
    expect(await createAuthorizer(octokit, lookups)(request, pendingApproval)).toMatchObject({
      kind: "refused",
      reason:
        "could not check whether @bob is in elsewhere/release (only teams of octo-org, the repository's owner, can be checked)",
    });
  });

  it("prefers the invalid policy's message to a failed role lookup", async () => {
    const lookups: AuthorizerLookups = {
      loadPolicy: async () => parsePolicy({ defaults: { required_approvals: 0 } }),
      getRepositoryRole: () => Promise.reject(Object.assign(new Error("boom"), { status: 502 })),
      getTeamMembership: () => Promise.reject(new Error("must not be called")),
      getChangeAuthors: () => Promise.reject(new Error("must not be called")),
    };
    expect(await createAuthorizer(octokit, lookups)(request, pendingApproval)).toEqual({
      kind: "refused",
      reason:
        "the policy file is invalid: defaults.required_approvals: Too small: expected number to be >=1",
    });
  });

  it("refuses when the policy cannot be read", async () => {
    const lookups: AuthorizerLookups = {
      loadPolicy: () => Promise.reject(Object.assign(new Error("boom"), { status: 500 })),
      getRepositoryRole: async () => "admin",
      getTeamMembership: () => Promise.reject(new Error("must not be called")),
      getChangeAuthors: () => Promise.reject(new Error("must not be called")),
    };
    expect(await createAuthorizer(octokit, lookups)(request, pendingApproval)).toEqual({
      kind: "refused",
      reason: "could not read the policy file .github/codepipeline-approvals.yml (HTTP 500)",
    });
  });
});
