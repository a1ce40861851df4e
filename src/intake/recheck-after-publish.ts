import type { Logger } from "probot";
import type { ApprovalAction, PendingApproval } from "../approvals/approval.js";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import type { InstallationClients } from "../github/installation-clients.js";
import type { OnResolved } from "../lifecycle/handle-approval-state-change.js";
import { lookAtCheckRuns } from "../lifecycle/look-at-check-runs.js";

export interface RecheckDeps {
  pipelines: PipelineGateway;
  github: InstallationClients;
  log: Logger;
  now: () => Date;
  appId: number;
  onResolved?: OnResolved | undefined;
  home?: string | undefined;
}

/**
 * A check run created long after its approval was read as pending may be the only thing left
 * pending: a state-change event handled meanwhile looked for the check run, found none and gave
 * up after its settle window. So when publishing took longer than that window (a busy
 * installation's writes are paced), the new check runs are compared with CodePipeline once more,
 * exactly as the lifecycle would, and closed if the approval closed meanwhile.
 */
export async function recheckPublished(
  approval: PendingApproval,
  commits: SourceCommit[],
  deps: RecheckDeps,
): Promise<void> {
  deps.log.info(
    { commits: commits.length },
    "the check run may have been created after a state-change event looked for it; reading the approval's state again",
  );
  await lookAgainAtCheckRuns(approval, approval.executionId, commits, deps);
}

/**
 * One lifecycle look at the execution's check runs on each commit: a still-pending run of an
 * approval CodePipeline shows closed is closed. Unsettled: a decision made through GitHub that is
 * still being written is left to the deciding request, which writes the richer record (and whose
 * state-change event finds the run, which exists by then).
 */
export async function lookAgainAtCheckRuns(
  action: ApprovalAction,
  executionId: string,
  commits: readonly SourceCommit[],
  deps: RecheckDeps,
): Promise<void> {
  await Promise.all(
    commits.map(async (commit) => {
      const repo = { owner: commit.owner, repo: commit.repo };
      const octokit = await deps.github.forRepository(repo);
      if (!octokit) return;
      await lookAtCheckRuns(
        { ...deps, octokit, repo },
        { action, executionId, sha: commit.sha, eventAt: deps.now() },
        false,
      );
    }),
  );
}
