import {
  createCommitComment,
  createIssueComment,
  findCommitComment,
  findIssueComment,
  type PostedComment,
} from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";

/**
 * Where the answer to one command (or review) goes. Each answer carries a hidden marker naming what
 * it answers, so a redelivered webhook finds the earlier answer instead of posting a second one.
 */
export interface ReplyThread {
  /** True when this app already answered (the webhook was delivered again). */
  answered(): Promise<boolean>;
  post(text: string): Promise<void>;
}

export function replyMarker(answers: `comment-${number}` | `review-${number}`): string {
  return `<!-- codepipeline-approvals:reply ${answers} -->`;
}

/** Answers in a pull request's conversation; `since` (the command's time) keeps the search short. */
export function pullRequestThread(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  marker: string,
  since?: string,
): ReplyThread {
  return {
    answered: async () =>
      Boolean(await findIssueComment(octokit, repo, number, isAnswer(marker), since)),
    post: async (text) => {
      await createIssueComment(octokit, repo, number, `${marker}\n${text}`);
    },
  };
}

/** Answers on a commit's page (Contents: read suffices to create, not to edit). */
export function commitThread(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  marker: string,
): ReplyThread {
  return {
    answered: async () => Boolean(await findCommitComment(octokit, repo, sha, isAnswer(marker))),
    post: async (text) => {
      await createCommitComment(octokit, repo, sha, `${marker}\n${text}`);
    },
  };
}

/** Only a bot can have written this app's answer: a person quoting the marker does not count. */
function isAnswer(marker: string) {
  return (comment: PostedComment) => comment.byBot && comment.body.includes(marker);
}
