import type { CheckRunSnapshot } from "../approvals/check-run-record.js";
import type { CheckRunView } from "../presentation/render-check-run.js";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { writePriorityOption, type WritePriority } from "./write-pacer.js";

/**
 * Every check run this app made on a commit: the approvals a command may target. `filter: all`,
 * not `latest`: `latest` keeps one run per name, the most recently completed, which is a
 * duplicate just closed rather than the live run it points to (intake/publish-approval.ts).
 */
export async function listAppCheckRuns(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  appId: number,
): Promise<CheckRunSnapshot[]> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: sha,
    app_id: appId,
    filter: "all",
    per_page: 100,
  });
  return data.check_runs;
}

export async function createCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  view: CheckRunView,
): Promise<CheckRunSnapshot> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    head_sha: sha,
    ...view,
    completed_at: new Date().toISOString(),
  });
  return data;
}

export async function updateCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  view: CheckRunView,
  { priority = "normal" }: { priority?: WritePriority } = {},
): Promise<void> {
  const { name: _unchanged, ...fields } = view;
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    ...fields,
    completed_at: new Date().toISOString(),
    ...(priority === "normal" ? {} : { request: writePriorityOption(priority) }),
  });
}
