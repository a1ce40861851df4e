import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createGitHubOctokit, isContentWrite } from "../../src/github/create-github-octokit.js";
import nock from "nock";
import { updateCheckRun } from "../../src/github/check-runs.js";
import type { CheckRunView } from "../../src/presentation/render-check-run.js";
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

  it("paces an installation's writes at its budget while its reads and other installations go straight through", async () => {
    const windowMs = 300;
    const Octokit = createGitHubOctokit({ writeLimits: [{ max: 1, windowMs }] });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    const sent: string[] = [];
    const at: Record<string, number> = {};
    const record = (name: string) => () => {
      sent.push(name);
      at[name] = Date.now();
      return [201, { id: 1 }] as const;
    };
    nockInstallationToken(777);
    nockInstallationToken(888);
    const scope = githubApi()
      .post(`${repoPath}/check-runs`, (body: { name: string }) => body.name === "first")
      .reply(record("first write"))
      .post(`${repoPath}/check-runs`, (body: { name: string }) => body.name === "second")
      .reply(record("second write"))
      .post("/repos/other-org/app/check-runs")
      .reply(record("other installation's write"))
      .get(`${repoPath}/commits/abc/check-runs`)
      .reply(() => {
        sent.push("read");
        return [200, { total_count: 0, check_runs: [] }];
      });
    const busy = await probot.auth(777);
    const other = await probot.auth(888);
    const create = (octokit: typeof busy, owner: string, repo: string, name: string) =>
      octokit.rest.checks.create({ owner, repo, name, head_sha: "a".repeat(40) });

    await create(busy, "octo-org", "service", "first");
    const second = create(busy, "octo-org", "service", "second");
    await busy.rest.checks.listForRef({ owner: "octo-org", repo: "service", ref: "abc" });
    await create(other, "other-org", "app", "other");
    await second;

    expect(scope.isDone()).toBe(true);
    expect(sent).toEqual(["first write", "read", "other installation's write", "second write"]);
    expect(at["second write"]! - at["first write"]!).toBeGreaterThanOrEqual(windowMs - 5);
  });

  it("does not space one installation's writes a second apart, as Probot's default throttle does", async () => {
    const Octokit = createGitHubOctokit();
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const scope = githubApi().post(`${repoPath}/check-runs`).times(4).reply(201, { id: 1 });
    const octokit = await probot.auth(installationId);

    const started = Date.now();
    for (let index = 0; index < 4; index += 1) {
      await octokit.rest.checks.create({
        owner: "octo-org",
        repo: "service",
        name: `run ${index}`,
        head_sha: "a".repeat(40),
      });
    }

    expect(scope.isDone()).toBe(true);
    // Probot's limiter would have held the last three for at least a second each.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("shortens the wait after a retry-after by the time scale", async () => {
    const Octokit = createGitHubOctokit({ timeScale: 600 });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const scope = githubApi()
      .post(`${repoPath}/check-runs`)
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "60" })
      .post(`${repoPath}/check-runs`)
      .reply(201, { id: 6 });
    const octokit = await probot.auth(installationId);

    const started = Date.now();
    const { data } = await octokit.rest.checks.create({
      owner: "octo-org",
      repo: "service",
      name: "x",
      head_sha: "a".repeat(40),
    });

    expect(data.id).toBe(6);
    expect(scope.isDone()).toBe(true);
    // 60 GitHub seconds at 600 times speed: 100 ms, not a minute.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("counts every mutative request as content creation except the app's token requests", () => {
    expect(isContentWrite("POST", "/repos/{owner}/{repo}/check-runs")).toBe(true);
    expect(isContentWrite("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}")).toBe(true);
    expect(isContentWrite("DELETE", "/repos/o/r/issues/comments/1/reactions/2")).toBe(true);
    expect(isContentWrite("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs")).toBe(false);
    expect(isContentWrite("POST", "/app/installations/{installation_id}/access_tokens")).toBe(
      false,
    );
    expect(isContentWrite("POST", "/graphql", "query changeAuthors($sha: GitObjectID!) {}")).toBe(
      false,
    );
    expect(isContentWrite("POST", "/graphql", "mutation { addComment }")).toBe(true);
  });

  it("does not repeat a 403 that refuses access: it is not a rate limit", async () => {
    const limits: string[] = [];
    const Octokit = createGitHubOctokit({ onLimit: (kind) => limits.push(kind) });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const scope = githubApi()
      .post(`${repoPath}/check-runs`)
      .reply(403, { message: "Resource not accessible by integration" });
    const octokit = await probot.auth(installationId);

    await expect(
      octokit.rest.checks.create({
        owner: "octo-org",
        repo: "service",
        name: "x",
        head_sha: "a".repeat(40),
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(scope.isDone()).toBe(true);
    expect(limits).toEqual([]);
  });

  it("repeats a request GitHub answered with a 5xx", async () => {
    const Octokit = createGitHubOctokit();
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const scope = githubApi()
      .get(`${repoPath}/collaborators/alice/permission`)
      .reply(502, { message: "Bad Gateway" })
      .get(`${repoPath}/collaborators/alice/permission`)
      .reply(200, { permission: "write" });
    const octokit = await probot.auth(installationId);

    const { data } = await alicePermission(octokit);

    expect(data.permission).toBe("write");
    expect(scope.isDone()).toBe(true);
  });

  it("abandons an attempt GitHub does not answer in time and repeats it", async () => {
    const Octokit = createGitHubOctokit({ requestTimeoutMs: 100 });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const scope = githubApi()
      .get(`${repoPath}/collaborators/alice/permission`)
      .delay(2_000)
      .reply(200, { permission: "admin" })
      .get(`${repoPath}/collaborators/alice/permission`)
      .reply(200, { permission: "write" });
    const octokit = await probot.auth(installationId);

    const { data } = await alicePermission(octokit);

    // The answer of the second attempt: the first was abandoned after 100 ms.
    expect(data.permission).toBe("write");
    expect(scope.isDone()).toBe(true);
  });

  it("holds an installation's requests beyond its concurrency limit until one has finished, the token request not counted", async () => {
    const Octokit = createGitHubOctokit({ maxConcurrent: 1 });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const arrived: number[] = [];
    githubApi()
      .get(`${repoPath}/commits/abc/check-runs`)
      .times(2)
      .delay(200)
      .reply(() => {
        arrived.push(Date.now());
        return [200, { total_count: 0, check_runs: [] }];
      });
    const octokit = await probot.auth(installationId);
    const list = () =>
      octokit.rest.checks.listForRef({ owner: "octo-org", repo: "service", ref: "abc" });

    await Promise.all([list(), list()]);

    expect(arrived).toHaveLength(2);
    expect(arrived[1]! - arrived[0]!).toBeGreaterThanOrEqual(195);
  });
});

function alicePermission(octokit: Awaited<ReturnType<Probot["auth"]>>) {
  return octokit.rest.repos.getCollaboratorPermissionLevel({
    owner: "octo-org",
    repo: "service",
    username: "alice",
  });
}

const decidedView: CheckRunView = {
  name: "CodePipeline: p/s/a",
  external_id: "{}",
  status: "completed",
  conclusion: "success",
  output: { title: "Approved", summary: "approved", text: "" },
  actions: [],
};

describe("createGitHubOctokit write priority", () => {
  it("lets a decision's check-run update through while the installation's normal writes wait for the window", async () => {
    const Octokit = createGitHubOctokit({ writeLimits: [{ max: 8, windowMs: 60_000 }] });
    const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
    nockInstallationToken();
    const comments = githubApi()
      .post(`${repoPath}/issues/1/comments`)
      .times(8)
      .reply(201, { id: 1 });
    const update = githubApi().patch(`${repoPath}/check-runs/9`).reply(200, { id: 9 });
    const octokit = await probot.auth(installationId);
    const repo = { owner: "octo-org", repo: "service" };

    // 8 replies: 7 fit the share normal writes may use, the 8th waits for the window (60 s).
    const replies = Array.from({ length: 8 }, () =>
      octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: "no" }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await updateCheckRun(octokit, repo, 9, decidedView, { priority: "decision" });

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(update.isDone()).toBe(true);
    expect(comments.pendingMocks()).toHaveLength(1);
    nock.abortPendingRequests();
    void Promise.allSettled(replies);
  });
});
