import type { ApprovalAction } from "../approvals/approval.js";
import { ActionExecutionScanLimitError } from "../codepipeline/scan-action-executions.js";
import { lookAgainAtCheckRuns, type RecheckDeps } from "./recheck-after-publish.js";

/**
 * A notification whose token is no longer pending publishes nothing, but a check run for it may
 * already be on GitHub, still pending: a replica read the approval as pending, the approval closed
 * (expired, or answered in the console), the replica created its run and died before its recheck.
 * This delivery is the dead replica's message coming back, and may be the last actor: the
 * state-change event can have come before the run existed. So the stale path finds the execution
 * whose token it was (the notification does not carry it) and looks at that execution's runs as
 * the lifecycle does, closing any this app left pending. Only a stale notification (rare: a
 * redelivery or a late duplicate) pays for it; a pending one publishes and rechecks on its own.
 */
export async function recheckStaleNotification(
  action: ApprovalAction,
  token: string,
  deps: RecheckDeps,
): Promise<void> {
  let executionId: string | undefined;
  try {
    executionId = await deps.pipelines.findExecutionOfToken(action, token);
  } catch (error) {
    if (!(error instanceof ActionExecutionScanLimitError)) throw error;
    // An approval this far back has long had its state-change event; nothing is retried for it.
    deps.log.warn(
      { err: error },
      "the stale notification's approval is too far back in the pipeline's history to look for its check runs",
    );
    return;
  }
  if (!executionId) {
    deps.log.info("no run of the action holds the notification's token; no check run to look at");
    return;
  }
  const lookup = await deps.pipelines.lookUpSourceCommits(action, action.pipelineName, executionId);
  if (lookup.kind === "gone" || lookup.commits.length === 0) return;
  await lookAgainAtCheckRuns(action, executionId, lookup.commits, {
    ...deps,
    log: deps.log.child({ executionId }),
  });
}
