import type { Logger } from "probot";
import {
  createCommitComment,
  createIssueComment,
  findCommitComment,
  findIssueComment,
  writtenByApp,
  type PostedComment,
} from "../github/comments.js";
import { errorFields } from "../ops/error-fields.js";
import { httpStatusOf, type GitHubClient, type RepoRef } from "../github/github-client.js";

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
 * Answers on a commit's page. A commit comment does not say which app wrote it (no
 * `performed_via_github_app`), so here any bot's comment with the marker counts; only a person's
 * never does.
 * https://docs.github.com/en/rest/commits/comments#get-a-commit-comment
 *
 * GitHub's reference says creating a commit comment needs Contents: read, but users of installation
 * tokens report a 403 without Contents: write (github/docs#12723, #35024; docs/security.md), which
 * would also let the app push code: the app does not ask for it. So a refused reply is not a
 * failure: the decision already stands in CodePipeline and on the check run. The first refusal in a
 * repository is one warning (per process: `forbidden` remembers the repositories); later ones are
 * debug lines. Any other failure still fails the delivery.
 */
export function commitThread(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  { marker, log, forbidden }: { marker: string; log: Logger; forbidden: Set<string> },
): ReplyThread {
  const isAnswer = (comment: PostedComment) => comment.byBot && comment.body.includes(marker);
  return {
    answered: async () => Boolean(await findCommitComment(octokit, repo, sha, isAnswer)),
    post: async (text) => {
      try {
        await createCommitComment(octokit, repo, sha, `${marker}\n${text}`);
      } catch (error) {
        if (!isPermissionRefusal(error)) throw error;
        const repository = `${repo.owner}/${repo.repo}`;
        if (forbidden.has(repository)) {
          log.debug({ repository }, "reply on the commit refused (Contents: write)");
          return;
        }
        forbidden.add(repository);
        log.warn(
          {
            repository,
            missingPermission: "contents: write",
            githubAccepts: acceptedPermissions(error),
            lost: "commands on commits still decide and the check run records each decision, but the commenter gets no reply on the commit",
            error: errorFields(error),
          },
          "cannot reply on commits in this repository: GitHub refuses the app's commit comments",
        );
      }
    },
  };
}

/** GitHub's "Resource not accessible by integration": a permission the installation lacks. */
function isPermissionRefusal(error: unknown): boolean {
  return (
    httpStatusOf(error) === 403 &&
    /not accessible by integration/i.test((error as { message?: unknown }).message as string)
  );
}

/**
 * What GitHub says the request needed, from its X-Accepted-GitHub-Permissions header, e.g.
 * "contents=write": the permission as GitHub, not its reference page, has it.
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
function acceptedPermissions(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers;
  const value = headers?.["x-accepted-github-permissions"];
  return typeof value === "string" ? value : undefined;
}
