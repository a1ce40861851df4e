import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { conditionalContentReads } from "../../src/github/conditional-reads.js";
import { createGitHubOctokit } from "../../src/github/create-github-octokit.js";
import { githubApi, nockInstallationToken, repo, repoPath } from "../helpers/github-api.js";
import { policyFilePath } from "../helpers/github-policy-api.js";
import { appId, createTestLog, installationId, privateKey } from "../helpers/probot.js";

const yaml = "defaults:\n  required_approvals: 2\n";
const raw = { "content-type": "application/vnd.github.raw; charset=utf-8" };

/** GitHub when the request must not be conditional. */
const unconditional = () => nock("https://api.github.com", { badheaders: ["if-none-match"] });

async function installationClient(Octokit = createGitHubOctokit(), id = installationId) {
  const probot = new Probot({ appId, privateKey, Octokit, log: createTestLog().log });
  nockInstallationToken(id);
  return probot.auth(id);
}

/** The policy file as Probot's config plugin asks for it (raw media type). */
function readPolicyFile(octokit: Awaited<ReturnType<typeof installationClient>>) {
  return octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
    ...repo,
    path: ".github/codepipeline-approvals.yml",
    mediaType: { format: "raw" },
  });
}

describe("conditional contents reads", () => {
  it("asks again with the ETag and answers a 304 with the body GitHub confirmed", async () => {
    const octokit = await installationClient();
    const first = unconditional()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' });
    const second = githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .matchHeader("if-none-match", '"v1"')
      .reply(304, "", { etag: '"v1"' });

    const fresh = await readPolicyFile(octokit);
    const confirmed = await readPolicyFile(octokit);

    expect(first.isDone() && second.isDone()).toBe(true);
    expect(confirmed.status).toBe(200);
    expect(confirmed.data).toBe(yaml);
    expect(confirmed.data).toEqual(fresh.data);
    // The config plugin tells a file from a directory by the content type of the 200.
    expect(confirmed.headers["content-type"]).toBe(raw["content-type"]);
  });

  it("takes a changed file at once, and its new ETag from then on", async () => {
    const octokit = await installationClient();
    const scope = githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' })
      .get(`${repoPath}${policyFilePath}`)
      .matchHeader("if-none-match", '"v1"')
      .reply(200, "defaults:\n  required_approvals: 3\n", { ...raw, etag: '"v2"' })
      .get(`${repoPath}${policyFilePath}`)
      .matchHeader("if-none-match", '"v2"')
      .reply(304, "");

    await readPolicyFile(octokit);
    const changed = await readPolicyFile(octokit);
    const confirmed = await readPolicyFile(octokit);

    expect(scope.isDone()).toBe(true);
    expect(changed.data).toContain("required_approvals: 3");
    expect(confirmed.data).toContain("required_approvals: 3");
  });

  it("asks for a missing file in full every time: GitHub's 404 carries no ETag", async () => {
    const octokit = await installationClient();
    const scope = unconditional()
      .get(`${repoPath}${policyFilePath}`)
      .times(2)
      .reply(404, { message: "Not Found" });

    for (let read = 0; read < 2; read += 1) {
      await expect(readPolicyFile(octokit)).rejects.toMatchObject({ status: 404 });
    }
    expect(scope.isDone()).toBe(true);
  });

  it("forgets a file once it is gone, and never remembers an error", async () => {
    const octokit = await installationClient();
    const scope = githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' })
      .get(`${repoPath}${policyFilePath}`)
      .matchHeader("if-none-match", '"v1"')
      .reply(404, { message: "Not Found" }, { etag: '"gone"' });
    const after = unconditional()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v3"' });

    await readPolicyFile(octokit);
    await expect(readPolicyFile(octokit)).rejects.toMatchObject({ status: 404 });
    await readPolicyFile(octokit);

    expect(scope.isDone() && after.isDone()).toBe(true);
  });

  it("does not lend one installation's ETag to another", async () => {
    const Octokit = createGitHubOctokit();
    const first = await installationClient(Octokit, installationId);
    const other = await installationClient(Octokit, 888);
    const scope = githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' });
    const othersRead = unconditional()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' });

    await readPolicyFile(first);
    await readPolicyFile(other);

    expect(scope.isDone() && othersRead.isDone()).toBe(true);
  });

  it("shares what GitHub confirmed across the clients of one installation (Probot builds one per event)", async () => {
    const Octokit = createGitHubOctokit();
    const scope = githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' })
      .get(`${repoPath}${policyFilePath}`)
      .matchHeader("if-none-match", '"v1"')
      .reply(304, "");

    await readPolicyFile(await installationClient(Octokit));
    const { data } = await readPolicyFile(await installationClient(Octokit));

    expect(scope.isDone()).toBe(true);
    expect(data).toBe(yaml);
  });

  it("answers a 304 once: it is not an error to repeat", async () => {
    const limits: string[] = [];
    const octokit = await installationClient(
      createGitHubOctokit({ onLimit: (kind) => limits.push(kind) }),
    );
    githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .reply(200, yaml, { ...raw, etag: '"v1"' });
    const conditional = githubApi()
      .get(`${repoPath}${policyFilePath}`)
      .matchHeader("if-none-match", '"v1"')
      .reply(304, "");
    const started = Date.now();

    await readPolicyFile(octokit);
    await readPolicyFile(octokit);

    expect(conditional.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    // A transient retry would have waited a second first.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(limits).toEqual([]);
  });

  it("hands out copies, so a caller that edits the body does not edit the next answer", async () => {
    const octokit = await installationClient();
    const listing = [{ name: "codepipeline-approvals.yml", type: "file" }];
    githubApi()
      .get(`${repoPath}/contents/.github`)
      .reply(200, listing, { etag: '"d1"' })
      .get(`${repoPath}/contents/.github`)
      .matchHeader("if-none-match", '"d1"')
      .times(2)
      .reply(304, "");
    const list = () =>
      octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path: ".github" });

    (await list()).data = [];
    const first = await list();
    (first.data as unknown[]).length = 0;
    const second = await list();

    expect(second.data).toEqual(listing);
  });

  it("leaves other reads alone", async () => {
    const octokit = await installationClient();
    const scope = unconditional()
      .get(`${repoPath}/collaborators/alice/permission`)
      .times(2)
      .reply(200, { permission: "write" }, { etag: '"p1"' });

    for (let read = 0; read < 2; read += 1) {
      await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "alice" });
    }
    expect(scope.isDone()).toBe(true);
  });

  it("remembers a bounded number of reads, the least recently used going first", async () => {
    const Octokit = ProbotOctokit.plugin(conditionalContentReads({ maxEntries: 1 })).defaults(
      (options: Record<string, unknown>) => ({
        ...options,
        retry: { enabled: false },
        throttle: { enabled: false },
      }),
    );
    const octokit = new Octokit({ auth: "ghs_test" });
    const path = (name: string) => `${repoPath}/contents/${name}`;
    const read = (name: string) =>
      octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path: name });
    githubApi().get(path("a")).reply(200, {}, { etag: '"a"' });
    githubApi().get(path("b")).reply(200, {}, { etag: '"b"' });
    const evicted = unconditional().get(path("a")).reply(200, {}, { etag: '"a"' });

    await read("a");
    await read("b");
    await read("a");

    expect(evicted.isDone()).toBe(true);
  });
});
