import { githubApi, repoPath } from "./github-api.js";
import { appBot, listedComment, type ListedComment } from "./github-conversation-api.js";

/**
 * Nock helpers for the commands' own calls that github-conversation-api.ts does not cover: the
 * search for an earlier answer (with who wrote each comment, as GitHub says it) and a reaction
 * whose answer the test releases.
 */

/** The command's creation time in the pullRequestComment fixture. */
export const commandTime = "2026-11-28T11:30:00Z";

/**
 * The search for an earlier answer to a command: the PR's comments since the command was written.
 * Only a request with that `since` matches, so the notice lookup (no `since`) never takes it.
 */
export function nockAnswerSearch(number: number, comments: ListedComment[], since = commandTime) {
  return githubApi()
    .get(`${repoPath}/issues/${number}/comments`)
    .query((query) => query.since === since)
    .reply(200, comments.map(listedComment));
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
