import type { GitHubClient, RepoRef } from "./github-client.js";

/** The commits of a pull request that pipelines build. */
export interface PullRequestCommits {
  number: number;
  headSha: string;
  /** Only once merged: before that, GitHub's merge_commit_sha is a throwaway test merge. */
  mergeCommitSha?: string | undefined;
}

export async function getPullRequest(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<PullRequestCommits> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return commitsOfPullRequest(data);
}

/**
 * The pull requests a commit belongs to: the merged one that introduced it to the default branch,
 * or the open ones that contain it. One page of 100 is plenty for a single commit.
 * https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit
 */
export async function listPullRequestsForCommit(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<PullRequestCommits[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    ...repo,
    commit_sha: sha,
    per_page: 100,
  });
  return data.map(commitsOfPullRequest);
}

/** Works on REST and webhook pull request objects alike (`merged` is only in some of them). */
export function commitsOfPullRequest(pull: {
  number: number;
  head: { sha: string };
  merged?: boolean | null | undefined;
  merged_at?: string | null | undefined;
  merge_commit_sha?: string | null | undefined;
}): PullRequestCommits {
  const merged = pull.merged === true || Boolean(pull.merged_at);
  return {
    number: pull.number,
    headSha: pull.head.sha,
    ...(merged && pull.merge_commit_sha ? { mergeCommitSha: pull.merge_commit_sha } : {}),
  };
}

/** The commits whose approvals a command on this pull request may decide. */
export function shasOfPullRequest(pull: PullRequestCommits): string[] {
  return pull.mergeCommitSha && pull.mergeCommitSha !== pull.headSha
    ? [pull.headSha, pull.mergeCommitSha]
    : [pull.headSha];
}
