import nock from "nock";
import { installationId } from "./probot.js";

/** One named nock helper per GitHub endpoint the app calls. Bodies are captured for assertions. */
export const repo = { owner: "octo-org", repo: "service" };
export const repoPath = `/repos/${repo.owner}/${repo.repo}`;

export type JsonBody = Record<string, unknown>;

export function githubApi() {
  return nock("https://api.github.com");
}

export function nockInstallationToken(id = installationId) {
  return githubApi()
    .post(`/app/installations/${id}/access_tokens`)
    .reply(200, {
      token: "ghs_test",
      expires_at: "2099-01-01T00:00:00Z",
      permissions: { checks: "write" },
    });
}

export function nockRepoInstallation(target = repo, id: number | null = installationId) {
  const scope = githubApi().get(`/repos/${target.owner}/${target.repo}/installation`);
  return id === null ? scope.reply(404, { message: "Not Found" }) : scope.reply(200, { id });
}

export function nockListCheckRuns(sha: string, checkRuns: unknown[], target = repo) {
  return githubApi()
    .get(`/repos/${target.owner}/${target.repo}/commits/${sha}/check-runs`)
    .query(true)
    .reply(200, { total_count: checkRuns.length, check_runs: checkRuns });
}

/**
 * Creating a check run, and the list publishing makes right after it to find the approval's live
 * run (the lowest id; intake/publish-approval.ts), answered with the run just created.
 */
export function nockCreateCheckRun(bodies: JsonBody[], target = repo, id = 9001) {
  let created: JsonBody | undefined;
  return githubApi()
    .post(`/repos/${target.owner}/${target.repo}/check-runs`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(201, (_uri, body) => (created = { id, ...(body as JsonBody) }))
    .get(new RegExp(`^/repos/${target.owner}/${target.repo}/commits/[0-9a-f]{40}/check-runs`))
    .query(true)
    .reply(200, () => ({ total_count: created ? 1 : 0, check_runs: created ? [created] : [] }));
}

export function nockUpdateCheckRun(checkRunId: number, bodies: JsonBody[], target = repo) {
  return githubApi()
    .patch(`/repos/${target.owner}/${target.repo}/check-runs/${checkRunId}`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(200, (_uri, body) => ({ id: checkRunId, ...(body as JsonBody) }));
}

export function nockPermission(username: string, permission: string, roleName = permission) {
  return githubApi()
    .get(`${repoPath}/collaborators/${username}/permission`)
    .reply(200, { permission, role_name: roleName, user: { login: username } });
}

/**
 * A check run's annotation log as GitHub lists it (one page): read after every write that leaves
 * the run pending, to find a decision the write may have painted over (decision-step.ts).
 */
export function nockListAnnotations(
  checkRunId: number,
  annotations: unknown[] = [],
  target = repo,
) {
  return githubApi()
    .get(`/repos/${target.owner}/${target.repo}/check-runs/${checkRunId}/annotations`)
    .query(true)
    .reply(200, annotations);
}
