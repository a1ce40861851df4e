import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { loadPolicy } from "./load-policy.js";
import type { PolicyLoad } from "./parse-policy.js";

export type PolicyLoader = (octokit: GitHubClient, repo: RepoRef) => Promise<PolicyLoad>;

/**
 * One read of each repository's policy for the work of one queue message: the PR notice's
 * `notify_pr` and the reminder's `remind_before` share it. Made fresh for every message, so every
 * message still asks GitHub (docs/policy.md); a read that failed is not kept, a retry asks again.
 */
export function rememberPolicyLoads(load: PolicyLoader = loadPolicy): PolicyLoader {
  const loads = new Map<string, Promise<PolicyLoad>>();
  return (octokit, repo) => {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    const known = loads.get(key);
    if (known) return known;
    const loading = load(octokit, repo);
    loads.set(key, loading);
    loading.catch(() => loads.delete(key));
    return loading;
  };
}
