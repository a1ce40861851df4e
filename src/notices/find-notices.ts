import { findIssueComment, writtenByApp, type PostedComment } from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { listPullRequestsForCommit, type PullRequestCommits } from "../github/pull-requests.js";
import { noticeMarker } from "../presentation/render-notice.js";

/**
 * The pull requests whose head (or, once merged, merge) commit is this commit: exactly those whose
 * `/approve` commands can decide an approval on it, so the notice never points at a PR where the
 * commands would not work (e.g. a stacked PR that merely contains the commit).
 */
export async function pullRequestsOfCommit(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<PullRequestCommits[]> {
  const pulls = await listPullRequestsForCommit(octokit, repo, sha);
  return pulls.filter((pull) => pull.headSha === sha || pull.mergeCommitSha === sha);
}

/** This app's notice for one check run on one pull request, if it was posted. */
export function findNotice(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  checkRunId: number,
  appId: number,
): Promise<PostedComment | undefined> {
  const marker = noticeMarker(checkRunId);
  // Only this app wrote the notice: a person or another app quoting the marker does not count.
  return findIssueComment(
    octokit,
    repo,
    pullNumber,
    (comment) => writtenByApp(comment, appId) && comment.body.includes(marker),
  );
}
