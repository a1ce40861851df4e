import {
  createCommitComment,
  createIssueComment,
  findCommitComment,
  findIssueComment,
  writtenByApp,
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

/**
 * Answers in a pull request's conversation; `since` (the command's time) keeps the search short.
 * Only this app's own comment counts as the answer: a comment "already answered" makes a command
 * do nothing, so another app (or a workflow's github-actions[bot]) that wrote the marker first
 * could otherwise silence every command. GitHub names the app that wrote an issue comment
 * (`performed_via_github_app`), so a bot comment without that name does not count either: at
 * worst a redelivered command is answered twice, never left unanswered.
 * https://docs.github.com/en/rest/issues/comments#get-an-issue-comment
 */
export function pullRequestThread(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  { marker, appId, since }: { marker: string; appId: number; since?: string | undefined },
): ReplyThread {
  const isAnswer = (comment: PostedComment) =>
    writtenByApp(comment, appId) && comment.body.includes(marker);
  return {
    answered: async () => Boolean(await findIssueComment(octokit, repo, number, isAnswer, since)),
    post: async (text) => {
      await createIssueComment(octokit, repo, number, `${marker}\n${text}`);
    },
  };
}

/**
 * Answers on a commit's page (Contents: read suffices to create, not to edit). A commit comment
 * does not say which app wrote it (no `performed_via_github_app`), so here any bot's comment with
 * the marker counts; only a person's never does.
 * https://docs.github.com/en/rest/commits/comments#get-a-commit-comment
 */
export function commitThread(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  { marker }: { marker: string },
): ReplyThread {
  const isAnswer = (comment: PostedComment) => comment.byBot && comment.body.includes(marker);
  return {
    answered: async () => Boolean(await findCommitComment(octokit, repo, sha, isAnswer)),
    post: async (text) => {
      await createCommitComment(octokit, repo, sha, `${marker}\n${text}`);
    },
  };
}
