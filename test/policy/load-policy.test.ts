import nock from "nock";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import { loadPolicy, mergeConfigs } from "../../src/policy/load-policy.js";
import { githubApi, nockInstallationToken, repo, repoPath } from "../helpers/github-api.js";
import { nockNoPolicy, nockPolicyFile, policyFilePath } from "../helpers/github-policy-api.js";
import {
  appId,
  createTestLog,
  installationId,
  privateKey,
  TestOctokit,
} from "../helpers/probot.js";

const octokit = () => new TestOctokit({ auth: "ghs_test" });
const orgRepo = { owner: repo.owner, repo: ".github" };

describe("loadPolicy", () => {
  it("reads the repository's file from the default branch (no ref)", async () => {
    const scope = nockPolicyFile("defaults:\n  required_approvals: 2\n");
    const load = await loadPolicy(octokit(), repo);
    expect(scope.isDone()).toBe(true);
    expect(load).toEqual({
      kind: "valid",
      policy: {
        defaults: { required_approvals: 2 },
        rules: [],
        files: ["octo-org/service:.github/codepipeline-approvals.yml"],
      },
    });
  });

  it("falls back to the owner's .github repository", async () => {
    const scopes = [
      nockPolicyFile(null),
      nockPolicyFile("defaults:\n  min_permission: admin\n", orgRepo),
    ];
    const load = await loadPolicy(octokit(), repo);
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
    expect(load).toMatchObject({
      kind: "valid",
      policy: {
        defaults: { min_permission: "admin" },
        files: ["octo-org/.github:.github/codepipeline-approvals.yml"],
      },
    });
  });

  it("uses the defaults when neither file exists", async () => {
    const scopes = nockNoPolicy();
    expect(await loadPolicy(octokit(), repo)).toEqual({
      kind: "valid",
      policy: { defaults: {}, rules: [], files: [] },
    });
    for (const scope of scopes) expect(scope.isDone()).toBe(true);
  });

  it("follows _extends: objects merge, a nearer file's lists replace inherited ones", async () => {
    nockPolicyFile(
      "_extends: .github\ndefaults:\n  channels: [buttons]\nrules:\n  - match: a/b/c\n    required_approvals: 3\n",
    );
    nockPolicyFile(
      "defaults:\n  min_permission: maintain\n  channels: [pr_comments, reviews]\nrules:\n  - match: x/y/z\n",
      orgRepo,
    );
    const load = await loadPolicy(octokit(), repo);
    expect(load).toEqual({
      kind: "valid",
      policy: {
        defaults: { min_permission: "maintain", channels: ["buttons"] },
        rules: [{ match: "a/b/c", required_approvals: 3 }],
        files: [
          "octo-org/service:.github/codepipeline-approvals.yml",
          "octo-org/.github:.github/codepipeline-approvals.yml",
        ],
      },
    });
  });

  it("reports YAML that does not parse as an invalid policy, saying where", async () => {
    nockPolicyFile("defaults:\n  channels: [buttons\n");
    const load = await loadPolicy(octokit(), repo);
    expect(load.kind).toBe("invalid");
    expect(load.kind === "invalid" && load.problems[0]).toMatch(
      /^Configuration could not be parsed from .*codepipeline-approvals\.yml \(invalid YAML\): .*line/,
    );
  });

  it("reports a schema problem with zod's path and message", async () => {
    nockPolicyFile("rules:\n  - match: a/b/c\n    required_approvals: 0\n");
    expect(await loadPolicy(octokit(), repo)).toEqual({
      kind: "invalid",
      problems: ["rules.0.required_approvals: Too small: expected number to be >=1"],
      files: ["octo-org/service:.github/codepipeline-approvals.yml"],
    });
  });

  it("throws when GitHub fails, so the decision is refused rather than defaulted", async () => {
    nockPolicyFile("", repo, 500);
    await expect(loadPolicy(octokit(), repo)).rejects.toMatchObject({ status: 500 });
  });
});

describe("loadPolicy with the app's GitHub client (conditional reads)", () => {
  const raw = { "content-type": "application/vnd.github.raw; charset=utf-8" };
  const policyUrl = `${repoPath}${policyFilePath}`;

  async function appClient() {
    const Octokit = createGitHubOctokit();
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    // Probot builds a client per webhook event; the ETags outlive each one.
    return () => probot.auth(installationId);
  }

  it("asks GitHub at every decision, and a 304 yields the same policy without spending rate limit", async () => {
    const client = await appClient();
    const scope = githubApi()
      .get(policyUrl)
      .reply(200, "defaults:\n  required_approvals: 2\n", { ...raw, etag: '"v1"' })
      .get(policyUrl)
      .matchHeader("if-none-match", '"v1"')
      .reply(304, "", { etag: '"v1"' });

    const first = await loadPolicy(await client(), repo);
    const second = await loadPolicy(await client(), repo);

    expect(scope.isDone()).toBe(true);
    expect(second).toEqual(first);
    expect(second).toMatchObject({
      kind: "valid",
      policy: { defaults: { required_approvals: 2 } },
    });
  });

  it("applies a changed file at the very next decision", async () => {
    const client = await appClient();
    const scope = githubApi()
      .get(policyUrl)
      .reply(200, "defaults:\n  required_approvals: 2\n", { ...raw, etag: '"v1"' })
      .get(policyUrl)
      .matchHeader("if-none-match", '"v1"')
      .reply(200, "defaults:\n  required_approvals: 3\n", { ...raw, etag: '"v2"' });

    await loadPolicy(await client(), repo);
    const changed = await loadPolicy(await client(), repo);

    expect(scope.isDone()).toBe(true);
    expect(changed).toMatchObject({
      kind: "valid",
      policy: { defaults: { required_approvals: 3 } },
    });
  });

  it("reads a missing policy in full each time (GitHub sends no ETag with a 404)", async () => {
    const client = await appClient();
    const scope = nock("https://api.github.com", { badheaders: ["if-none-match"] })
      .get(policyUrl)
      .times(2)
      .reply(404, { message: "Not Found" })
      .get(`/repos/${repo.owner}/.github${policyFilePath}`)
      .times(2)
      .reply(404, { message: "Not Found" });

    for (let decision = 0; decision < 2; decision += 1) {
      expect(await loadPolicy(await client(), repo)).toEqual({
        kind: "valid",
        policy: { defaults: {}, rules: [], files: [] },
      });
    }
    expect(scope.isDone()).toBe(true);
  });
});

describe("mergeConfigs", () => {
  it("merges nested objects and replaces arrays, nearest file last", () => {
    expect(
      mergeConfigs([
        { defaults: { min_permission: "admin", approvers: ["a"] }, rules: [{ match: "a/b/c" }] },
        { defaults: { approvers: ["b"] } },
      ]),
    ).toEqual({
      defaults: { min_permission: "admin", approvers: ["b"] },
      rules: [{ match: "a/b/c" }],
    });
  });
});
