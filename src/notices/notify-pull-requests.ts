import type { ApprovalAction } from "../approvals/approval.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";

/**
 * Whether this approval is announced on pull requests; the policy file's `notify_pr` (of the rule
 * matching the approval, else its defaults) may turn it off.
 */
export type NotifyPullRequests = (
  octokit: GitHubClient,
  repo: RepoRef,
  approval: ApprovalAction,
) => Promise<boolean>;

export const notifyPullRequestsByDefault: NotifyPullRequests = async () => true;
