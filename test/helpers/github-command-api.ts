import { githubApi, repoPath } from "./github-api.js";
import { appId } from "./probot.js";

/**
 * Nock helpers for the commands' own calls that github-conversation-api.ts does not cover: the
 * search for an earlier answer (with who wrote each comment, as GitHub says it) and a reaction
 * whose answer the test releases.
 */

/** This app's bot account and the app itself, as GitHub names them on comments the app wrote. */
export const appBot = { login: "codepipeline-approvals[bot]", type: "Bot" };
export const thisApp = { id: appId, slug: "codepipeline-approvals" };

/** A comment in a thread; by default written by this app (its bot, `performed_via_github_app`). */
export interface ThreadComment {
  id: number;
  body: string;
  user?: { login: string; type: string };
  /** `performed_via_github_app`: null for a person's comment, another app for another bot's. */
  viaApp?: { id: number; slug: string } | null;
}

/** The command's creation time in the pullRequestComment fixture. */
export const commandTime = "2026-11-28T11:30:00Z";

/**
 * The search for an earlier answer to a command: the PR's comments since the command was written.
 * Only a request with that `since` matches, so the notice lookup (no `since`) never takes it.
 */
export function nockAnswerSearch(number: number, comments: ThreadComment[], since = commandTime) {
  return githubApi()
    .get(`${repoPath}/issues/${number}/comments`)
    .query((query) => query.since === since)
    .reply(200, comments.map(threadComment));
}

export function threadComment({ id, body, user = appBot, viaApp = thisApp }: ThreadComment) {
  return { id, body, user, performed_via_github_app: viaApp, created_at: "2026-11-28T11:31:00Z" };
}

/**
 * A reaction that GitHub answers only once `release` settles: a reaction held in the
 * installation's write queue. `events` records when it was asked and when it was answered.
 */
export function nockHeldReaction(commentId: number, release: Promise<unknown>, events: string[]) {
  return githubApi()
    .post(`${repoPath}/issues/comments/${commentId}/reactions`, { content: "eyes" })
    .reply(async () => {
      events.push("reaction asked");
      await release;
      events.push("reaction answered");
      return [201, { id: 1, content: "eyes", user: appBot }] as const;
    });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

/** A promise the test settles, for ordering without timers. */
export function createDeferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
