import type { Logger } from "probot";
import type { PendingApproval } from "../approvals/approval.js";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { RepoRef } from "../github/github-client.js";
import type { Supersession } from "./plan-check-run-sync.js";

/**
 * What replaced a superseded approval: the newest run of the same action and, when it belongs to
 * another execution, that execution's commit in the same repository. Only used to word the check
 * run, so a failed lookup is logged and the check run says less.
 */
export async function findSupersession(
  approval: PendingApproval,
  repo: RepoRef,
  pipelines: PipelineGateway,
  log: Logger,
): Promise<Supersession | undefined> {
  try {
    const latest = await pipelines.findLatestActionExecution(approval);
    if (!latest) return undefined;
    if (latest.executionId === approval.executionId) {
      return latest.token && latest.token !== approval.token ? { sameExecution: true } : undefined;
    }
    const lookup = await pipelines.lookUpSourceCommits(
      approval,
      approval.pipelineName,
      latest.executionId,
    );
    const commit =
      lookup.kind === "found"
        ? lookup.commits.find(
            (candidate) =>
              candidate.owner.toLowerCase() === repo.owner.toLowerCase() &&
              candidate.repo.toLowerCase() === repo.repo.toLowerCase(),
          )?.sha
        : undefined;
    return { executionId: latest.executionId, ...(commit ? { commit } : {}) };
  } catch (error) {
    log.warn({ err: error }, "could not name the newer execution; the check run says less");
    return undefined;
  }
}
