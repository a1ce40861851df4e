import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import { githubApi, nockInstallationToken, repoPath } from "../helpers/github-api.js";
import { appId, createTestLog, installationId, privateKey } from "../helpers/probot.js";

describe("createGitHubOctokit", () => {
  it("retries a secondary rate limit after GitHub's retry-after instead of failing", async () => {
    const limits: string[] = [];
    const Octokit = createGitHubOctokit({
      onLimit: (kind, request) => limits.push(`${kind} ${request.method}`),
    });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const scope = githubApi()
      .post(`${repoPath}/check-runs`)
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "1" })
      .post(`${repoPath}/check-runs`)
      .reply(201, { id: 5 });

    const octokit = await probot.auth(installationId);
    const { data } = await octokit.rest.checks.create({
      owner: "octo-org",
      repo: "service",
      name: "x",
      head_sha: "a".repeat(40),
    });

    expect(data.id).toBe(5);
    expect(scope.isDone()).toBe(true);
    expect(limits).toEqual(["secondary POST"]);
  });

  it("gives up after the bounded number of retries", async () => {
    const Octokit = createGitHubOctokit({ maxRateLimitRetries: 1 });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    githubApi()
      .get(`${repoPath}/commits/abc/check-runs`)
      .times(2)
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "1" });

    const octokit = await probot.auth(installationId);
    await expect(
      octokit.rest.checks.listForRef({ owner: "octo-org", repo: "service", ref: "abc" }),
    ).rejects.toMatchObject({ status: 403 });
  });
});
