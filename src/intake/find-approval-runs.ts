import { checkRunName, type PendingApproval } from "../approvals/approval.js";
import { tokenOfExternalId, type CheckRunSnapshot } from "../approvals/check-run-record.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";

/**
 * This app's check runs for one approval (its token) on one commit, lowest id first. `filter: all`
 * and `app_id`: every run this app made for the token counts, not only the latest, and never
 * another app's run that copies the name. The lowest id is the live one (docs/design.md, "One
 * live check run"): ids grow with creation, so every replica that lists after creating agrees.
 * https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference
 */
export async function findApprovalRuns(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  approval: PendingApproval,
  appId: number,
  /** The bridge's own AWS account: another account's approvals have account-qualified names. */
  home?: string | undefined,
): Promise<CheckRunSnapshot[]> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: sha,
    check_name: checkRunName(approval, home),
    app_id: appId,
    filter: "all",
    per_page: 100,
  });
  return liveFirst(
    data.check_runs.filter(
      (run: CheckRunSnapshot) =>
        tokenOfExternalId(run.external_id) === approval.token &&
        (run.app?.id === undefined || run.app.id === appId),
    ),
  );
}

/** Runs of one approval, the live one (lowest id) first; duplicates by id dropped. */
export function liveFirst(runs: readonly CheckRunSnapshot[]): CheckRunSnapshot[] {
  const byId = new Map(runs.map((run) => [run.id, run]));
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
