import { checkRunName, type ApprovalAction } from "../approvals/approval.js";
import {
  readTrackedApproval,
  type CheckRunSnapshot,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";

export interface ExecutionCheckRun {
  checkRun: CheckRunSnapshot;
  tracked: TrackedApproval;
}

/**
 * The approval check runs of one pipeline execution on a commit. `filter: all`, not `latest`: when
 * the same commit ran again, the newer execution's check run is the latest one, and an event about
 * the older execution must still find (and close) its own.
 * https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference
 */
export async function findExecutionCheckRuns(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  action: ApprovalAction,
  executionId: string,
  appId: number,
  home?: string | undefined,
): Promise<ExecutionCheckRun[]> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: sha,
    check_name: checkRunName(action, home),
    filter: "all",
    per_page: 100,
    app_id: appId,
  });
  return data.check_runs.flatMap((checkRun: CheckRunSnapshot) => {
    const tracked = readTrackedApproval(checkRun);
    if (!tracked) return [];
    const { approval } = tracked;
    const same =
      sameAccount(approval.account, action.account) &&
      approval.region === action.region &&
      approval.pipelineName === action.pipelineName &&
      approval.stageName === action.stageName &&
      approval.actionName === action.actionName &&
      approval.executionId === executionId;
    return same ? [{ checkRun, tracked }] : [];
  });
}

/**
 * A check run created before accounts were recorded (no account) belongs to the bridge's own
 * account; its execution id, unique across accounts, still tells it apart.
 */
function sameAccount(recorded: string | undefined, asked: string | undefined): boolean {
  return recorded === undefined || asked === undefined || recorded === asked;
}
