import type { Logger } from "probot";
import {
  createCommitComment,
  createIssueComment,
  deleteIssueComment,
  findCommitComment,
  findIssueComment,
  listIssueComments,
  writtenByApp,
  type PostedComment,
} from "../github/comments.js";
import { httpStatusOf, type GitHubClient, type RepoRef } from "../github/github-client.js";

/** What one place got: a new reminder, the one already there, or nothing (GitHub refused). */
export type ReminderPlacement = "posted" | "existed" | "refused";

/**
 * One reminder per approval and pull request, whatever the delivery pattern: none is posted when
 * this app's reminder is already there; after posting, the PR's reminders for the approval are
 * listed, the lowest comment id is kept and any other deleted. Two replicas that took duplicates of
 * the due message each list after their own post, so the later one sees both and both agree which
 * stays: the rule notices and check runs follow (docs/design.md, "One live check run").
 */
export async function remindOnPullRequest(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  { marker, body, appId, log }: { marker: string; body: string; appId: number; log: Logger },
): Promise<ReminderPlacement> {
  const isReminder = (comment: PostedComment) =>
    writtenByApp(comment, appId) && comment.body.includes(marker);
  return refusedAsAnswer(log, async () => {
    if (await findIssueComment(octokit, repo, pullNumber, isReminder)) return "existed";
    const posted = await createIssueComment(octokit, repo, pullNumber, body);
    const reminders = await listIssueComments(octokit, repo, pullNumber, isReminder);
    const [kept, ...extra] = [...reminders].sort((a, b) => a.id - b.id);
    for (const duplicate of extra) {
      log.info(
        { pullRequest: pullNumber, commentId: duplicate.id },
        "deleting a duplicate reminder",
      );
      await deleteIssueComment(octokit, repo, duplicate.id).catch((error: unknown) => {
        // Deleted by the other poster already: the outcome is the same.
        if (httpStatusOf(error) !== 404) throw error;
      });
    }
    return kept === undefined || kept.id === posted.id ? "posted" : "existed";
  });
}

/**
 * On the commit's page when it has no pull request. Deleting a commit comment needs Contents:
 * write, which the app does not ask for (it would let it push code), so the dedupe here is the
 * check before posting; two replicas posting in the same instant leave two, which is logged.
 * A commit comment does not name the app that wrote it: any bot's comment with the marker counts.
 * https://docs.github.com/en/rest/commits/comments#delete-a-commit-comment
 */
export async function remindOnCommit(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  { marker, body, log }: { marker: string; body: string; log: Logger },
): Promise<ReminderPlacement> {
  const isReminder = (comment: PostedComment) => comment.byBot && comment.body.includes(marker);
  return refusedAsAnswer(log, async () => {
    if (await findCommitComment(octokit, repo, sha, isReminder)) return "existed";
    const posted = await createCommitComment(octokit, repo, sha, body);
    const earlier = await findCommitComment(
      octokit,
      repo,
      sha,
      (comment) => isReminder(comment) && comment.id < posted.id,
    );
    if (!earlier) return "posted";
    log.warn(
      { commentId: posted.id, earlierCommentId: earlier.id },
      "another replica posted the same reminder on the commit at the same moment; the app cannot delete commit comments (Contents: read), so both stay",
    );
    return "existed";
  });
}

/**
 * GitHub refusing a comment (a locked conversation, a missing permission) is logged and skipped,
 * like the PR notice; any other failure throws, so the due message comes back and tries again.
 */
async function refusedAsAnswer(
  log: Logger,
  work: () => Promise<ReminderPlacement>,
): Promise<ReminderPlacement> {
  try {
    return await work();
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === undefined || status >= 500 || status === 429) throw error;
    log.warn({ err: error, status }, "GitHub refused the reminder comment");
    return "refused";
  }
}
