import type { GitHubClient, RepoRef } from "./github-client.js";

/**
 * Every annotation of a check run, page by page (100 a page), in the order GitHub lists them.
 * https://docs.github.com/en/rest/checks/runs#list-check-run-annotations
 */
export async function listCheckRunAnnotations(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
): Promise<{ raw_details?: string | null | undefined }[]> {
  return octokit.paginate(octokit.rest.checks.listAnnotations, {
    ...repo,
    check_run_id: checkRunId,
    per_page: 100,
  });
}
