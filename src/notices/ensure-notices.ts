import type { Logger } from "probot";
import type { CheckRunSnapshot, TrackedApproval } from "../approvals/check-run-record.js";
import {
  createIssueComment,
  deleteIssueComment,
  listIssueComments,
  writtenByApp,
} from "../github/comments.js";
import { httpStatusOf, type GitHubClient, type RepoRef } from "../github/github-client.js";
import { pullRequestsOfCommit } from "./find-notices.js";
import { notifyPullRequestsByDefault, type NotifyPullRequests } from "./notify-pull-requests.js";
import { noticeMarker, renderNotice } from "../presentation/render-notice.js";

export interface EnsureNoticesOptions {
  log: Logger;
  /**
   * True right after the check run was created: a notice keyed by its brand-new id cannot exist
   * yet, so there is nothing to search for. False on a redelivery, which must find the notice.
   */
  fresh: boolean;
  notifyPullRequests?: NotifyPullRequests;
  /** This app: a notice is recognised only when this app wrote it. */
  appId: number;
}

/**
 * Makes sure each pull request of the check run's commit has the notice for this approval, once.
 * Resolves with the PR numbers that got a new notice. A refusal by GitHub (a locked conversation, a
 * missing permission) is logged and skipped: the check run, already there, is what matters. Any
 * other failure throws, so the queue redelivers and this runs again.
 */
export async function ensurePullRequestNotices(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRun: CheckRunSnapshot,
  tracked: TrackedApproval,
  {
    log: intakeLog,
    fresh,
    notifyPullRequests = notifyPullRequestsByDefault,
    appId,
  }: EnsureNoticesOptions,
): Promise<number[]> {
  // The intake's logger names the message, repository, commit and execution; the notice's lines
  // name the check run too (docs/operations.md, "What the log lines mean").
  const log = intakeLog.child({ checkRunId: checkRun.id });
  try {
    // Most commits under approval have no pull request: only then is the switch (a policy read) asked.
    const pulls = await pullRequestsOfCommit(octokit, repo, checkRun.head_sha);
    if (pulls.length === 0 || !(await notifyPullRequests(octokit, repo, tracked.approval)))
      return [];
    const created = await Promise.all(
      pulls.map(async (pull) => {
        const keep = () => keepOneNotice(octokit, repo, pull.number, checkRun.id, appId, log);
        // A redelivery lists the notices rather than stopping at the first: one a poster left
        // beside another (its listing failed after its post) is removed here.
        if (!fresh && (await keep()) !== undefined) return [];
        const posted = await createIssueComment(
          octokit,
          repo,
          pull.number,
          renderNotice(tracked, checkRun),
        ).catch(async (error: unknown) => {
          // Without an answer or with a 5xx, GitHub may have applied the post and lost only the
          // answer, and a poster that raced this one may have listed before it landed: only this
          // listing can then remove the second notice. The retry finds the notice kept. (A 4xx
          // is GitHub saying it created nothing.)
          const status = httpStatusOf(error);
          if (status !== undefined && status < 500) throw error;
          await keep().catch((listError: unknown) => {
            log.warn(
              { err: listError, pullRequest: pull.number },
              "could not list the notices after a failed post; the redelivery removes any duplicate",
            );
          });
          throw error;
        });
        const kept = await keep();
        return kept === undefined || kept === posted.id ? [pull.number] : [];
      }),
    );
    if (created.flat().length > 0) {
      log.info({ pullRequests: created.flat() }, "approval announced on pull requests");
    }
    return created.flat();
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === undefined || status >= 500 || status === 429) throw error;
    log.warn({ err: error, status }, "could not post the approval notice on the pull request");
    return [];
  }
}

/**
 * One notice per check run and pull request, whatever the delivery pattern: after posting (also
 * after a post whose answer was lost), the PR's notices for the run are listed, the lowest comment
 * id is kept and any other deleted. Two posters that raced (a first delivery and a duplicate on
 * another replica) each list after their own post, so the later lister sees both and both agree on
 * which stays; a redelivery lists the same way before it posts (docs/design.md). Resolves with the
 * id kept.
 */
async function keepOneNotice(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  checkRunId: number,
  appId: number,
  log: Logger,
): Promise<number | undefined> {
  const marker = noticeMarker(checkRunId);
  const notices = await listIssueComments(
    octokit,
    repo,
    pullNumber,
    (comment) => writtenByApp(comment, appId) && comment.body.includes(marker),
  );
  const [kept, ...extra] = [...notices].sort((a, b) => a.id - b.id);
  for (const duplicate of extra) {
    log.info({ pullRequest: pullNumber, commentId: duplicate.id }, "deleting a duplicate notice");
    await deleteIssueComment(octokit, repo, duplicate.id).catch((error: unknown) => {
      // Already deleted by the other poster: the outcome is the same.
      if (httpStatusOf(error) !== 404) throw error;
    });
  }
  return kept?.id;
}
