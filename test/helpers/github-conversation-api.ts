import { githubApi, repo, repoPath, type JsonBody } from "./github-api.js";
import { appId } from "./probot.js";

/**
 * One nock helper per GitHub endpoint of the conversation channels and the PR notice (the same
 * octo-org/service repository as github-api.ts). Request bodies are captured for assertions.
 */
/** This app's bot account and the app itself, as GitHub names them on comments the app wrote. */
export const appBot = { login: "codepipeline-approvals[bot]", type: "Bot" };
export const thisApp = { id: appId, slug: "codepipeline-approvals" };
const bot = appBot;

/** Issue comments as GitHub lists them; by default written by this app (its bot and the app). */
export interface ListedComment {
  id: number;
  body: string;
  user?: { login: string; type: string };
  /** `performed_via_github_app`: null for a person's comment, another app for another bot's. */
  viaApp?: { id: number; slug: string } | null;
}

/** 201 when the reaction is new, 200 when this app had already left it (a redelivery). */
export function nockReactToIssueComment(commentId: number, bodies: JsonBody[] = [], status = 201) {
  return githubApi()
    .post(`${repoPath}/issues/comments/${commentId}/reactions`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(status, { id: 1, content: "eyes", user: bot });
}

export function nockGetPullRequest(
  number: number,
  { headSha, merged = false, mergeCommitSha = "f".repeat(40) }: PullRequestSpec,
) {
  return githubApi()
    .get(`${repoPath}/pulls/${number}`)
    .reply(200, pullRequestData({ number, headSha, merged, mergeCommitSha }));
}

export function nockPullRequestsForCommit(sha: string, pulls: PullRequestSpec[], target = repo) {
  return githubApi()
    .get(`/repos/${target.owner}/${target.repo}/commits/${sha}/pulls`)
    .query(true)
    .reply(200, pulls.map(pullRequestData));
}

export function nockListIssueComments(
  number: number,
  comments: ListedComment[],
  queries: Record<string, unknown>[] = [],
) {
  return githubApi()
    .get(`${repoPath}/issues/${number}/comments`)
    .query((query) => {
      queries.push(query);
      return true;
    })
    .reply(200, comments.map(listedComment));
}

export function nockCreateIssueComment(number: number, bodies: JsonBody[], id = 5001) {
  return githubApi()
    .post(`${repoPath}/issues/${number}/comments`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(201, (_uri, body) => ({ id, ...(body as JsonBody), user: bot }));
}

/**
 * The notice posted, and the list that follows it to keep one notice per check run and pull
 * request (notices/ensure-notices.ts), answered with the notice just posted.
 */
export function nockPostNotice(number: number, bodies: JsonBody[], id = 5001) {
  let posted: ListedComment | undefined;
  return githubApi()
    .post(`${repoPath}/issues/${number}/comments`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(201, (_uri, body) => {
      posted = { id, body: String((body as JsonBody).body) };
      return { id, ...(body as JsonBody), user: bot };
    })
    .get(`${repoPath}/issues/${number}/comments`)
    .query(true)
    .reply(200, () => (posted ? [listedComment(posted)] : []));
}

export function nockUpdateIssueComment(commentId: number, bodies: JsonBody[]) {
  return githubApi()
    .patch(`${repoPath}/issues/comments/${commentId}`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(200, (_uri, body) => ({ id: commentId, ...(body as JsonBody), user: bot }));
}

export function nockListCommitComments(sha: string, comments: ListedComment[]) {
  return githubApi()
    .get(`${repoPath}/commits/${sha}/comments`)
    .query(true)
    .reply(200, comments.map(listedComment));
}

export function nockCreateCommitComment(sha: string, bodies: JsonBody[], id = 6001) {
  return githubApi()
    .post(`${repoPath}/commits/${sha}/comments`, (body: JsonBody) => {
      bodies.push(body);
      return true;
    })
    .reply(201, (_uri, body) => ({ id, commit_id: sha, ...(body as JsonBody), user: bot }));
}

export interface PullRequestSpec {
  number?: number;
  headSha: string;
  merged?: boolean;
  mergeCommitSha?: string;
}

/** The fields of a pull request (REST `pulls.get` / commit pulls) that the app reads. */
export function pullRequestData({
  number = 42,
  headSha,
  merged = false,
  mergeCommitSha = "f".repeat(40),
}: PullRequestSpec) {
  return {
    number,
    state: merged ? "closed" : "open",
    merged,
    merged_at: merged ? "2026-11-28T10:00:00Z" : null,
    merge_commit_sha: mergeCommitSha,
    head: { sha: headSha, ref: "feature" },
    base: { sha: "b".repeat(40), ref: "main" },
    html_url: `https://github.com/octo-org/service/pull/${number}`,
  };
}

export function listedComment({ id, body, user = bot, viaApp = thisApp }: ListedComment) {
  return { id, body, user, performed_via_github_app: viaApp, created_at: "2026-11-28T11:00:00Z" };
}
