import type { GitHubClient, RepoRef } from "./github-client.js";
import { isBotAccount } from "./is-bot-account.js";

/** A comment as this app reads it back: enough to recognise its own by a hidden marker. */
export interface PostedComment {
  id: number;
  body: string;
  /** Written by a GitHub App (or another bot account), never by a person. */
  byBot: boolean;
  /**
   * The GitHub App whose token wrote it, when GitHub says (`performed_via_github_app`, set on
   * issue comments an app creates): tells this app's comments from another app's.
   */
  viaAppId?: number | undefined;
}

/**
 * An issue comment written by the app `appId`, as GitHub names it (`performed_via_github_app`):
 * another app (or a workflow's github-actions[bot]) that copies a hidden marker must not pass for
 * this app, nor a bot comment that names no app.
 * Commit comments do not name the app: see commitThread.
 * https://docs.github.com/en/rest/issues/comments#get-an-issue-comment
 */
export function writtenByApp(comment: PostedComment, appId: number): boolean {
  return comment.byBot && comment.viaAppId === appId;
}

export type ReactionContent =
  "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/**
 * GitHub answers 200 when this app already left the same reaction and 201 when it is new.
 * https://docs.github.com/en/rest/reactions/reactions#create-reaction-for-an-issue-comment
 */
export async function reactToIssueComment(
  octokit: GitHubClient,
  repo: RepoRef,
  commentId: number,
  content: ReactionContent,
): Promise<"created" | "existed"> {
  const { status } = await octokit.rest.reactions.createForIssueComment({
    ...repo,
    comment_id: commentId,
    content,
  });
  return status === 200 ? "existed" : "created";
}

/** Pull requests are issues: their conversation comments are issue comments. */
export async function createIssueComment(
  octokit: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  body: string,
): Promise<{ id: number }> {
  const { data } = await octokit.rest.issues.createComment({
    ...repo,
    issue_number: issueNumber,
    body,
  });
  return { id: data.id };
}

export async function updateIssueComment(
  octokit: GitHubClient,
  repo: RepoRef,
  commentId: number,
  body: string,
): Promise<void> {
  await octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
}

/**
 * The first comment of an issue or pull request that `matches`, reading page by page and stopping
 * at the first hit. `since` (ISO time) skips comments not updated since then.
 */
export async function findIssueComment(
  octokit: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  matches: (comment: PostedComment) => boolean,
  since?: string,
): Promise<PostedComment | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
    ...(since ? { since } : {}),
  });
  for await (const { data } of pages) {
    const found = data.map(toPostedComment).find(matches);
    if (found) return found;
  }
  return undefined;
}

/**
 * GitHub's reference says creating a commit comment needs Contents: read; users report that an
 * installation token needs Contents: write (docs/security.md), which the app does not ask for, so
 * the caller treats a 403 as a reply it cannot give (channels/reply-thread.ts). Editing or reacting
 * to one needs Contents: write in every account, so the app never does either.
 * https://docs.github.com/en/rest/commits/comments#create-a-commit-comment
 */
export async function createCommitComment(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  body: string,
): Promise<{ id: number }> {
  const { data } = await octokit.rest.repos.createCommitComment({
    ...repo,
    commit_sha: sha,
    body,
  });
  return { id: data.id };
}

export async function findCommitComment(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  matches: (comment: PostedComment) => boolean,
): Promise<PostedComment | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.repos.listCommentsForCommit, {
    ...repo,
    commit_sha: sha,
    per_page: 100,
  });
  for await (const { data } of pages) {
    const found = data.map(toPostedComment).find(matches);
    if (found) return found;
  }
  return undefined;
}

function toPostedComment(comment: {
  id: number;
  body?: string | undefined;
  user: { type?: string | undefined; login: string } | null;
  performed_via_github_app?: { id: number } | null | undefined;
}): PostedComment {
  const user = comment.user;
  const viaAppId = comment.performed_via_github_app?.id;
  return {
    id: comment.id,
    body: comment.body ?? "",
    byBot: user !== null && isBotAccount(user),
    ...(viaAppId === undefined ? {} : { viaAppId }),
  };
}

/** Every comment of an issue or pull request that `matches`, in the order GitHub lists them. */
export async function listIssueComments(
  octokit: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  matches: (comment: PostedComment) => boolean,
): Promise<PostedComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  return comments.map(toPostedComment).filter(matches);
}

export async function deleteIssueComment(
  octokit: GitHubClient,
  repo: RepoRef,
  commentId: number,
): Promise<void> {
  await octokit.rest.issues.deleteComment({ ...repo, comment_id: commentId });
}
