import type { GitHubClient, RepoRef } from "../github/github-client.js";

/** Whether approvals are announced on pull requests in a repository; the policy file may turn it off. */
export type NotifyPullRequests = (octokit: GitHubClient, repo: RepoRef) => Promise<boolean>;

export const notifyPullRequestsByDefault: NotifyPullRequests = async () => true;
