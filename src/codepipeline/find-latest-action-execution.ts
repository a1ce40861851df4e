import type { ActionExecutionDetail } from "@aws-sdk/client-codepipeline";
import type { ApprovalAction } from "../approvals/approval.js";
import type { RegionalPipelines } from "./regional-pipelines.js";
import { isRunOf, scanActionExecutions, tokenOf } from "./scan-action-executions.js";

/** The newest run of one approval action, whichever pipeline execution it belongs to. */
export interface LatestActionExecution {
  executionId: string;
  status?: string;
  token?: string;
}

/**
 * What superseded an older approval: the newest run of the same action. The order of
 * ListActionExecutions is not documented, so the newest is picked by start time on the first page
 * that has any run of the action. Undefined when none is found within the page limit: the caller
 * only uses it to word a check run.
 */
export async function findLatestActionExecution(
  { client, maxActionExecutionPages }: RegionalPipelines,
  action: ApprovalAction,
): Promise<LatestActionExecution | undefined> {
  let runs: ActionExecutionDetail[] = [];
  await scanActionExecutions(
    client,
    { pipelineName: action.pipelineName },
    (details) => {
      runs = details.filter((detail) => isRunOf(action, detail) && detail.pipelineExecutionId);
      return runs.length > 0;
    },
    maxActionExecutionPages,
  );
  const newest = runs.sort(
    (a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0),
  )[0];
  if (!newest?.pipelineExecutionId) return undefined;
  const token = tokenOf(newest);
  return {
    executionId: newest.pipelineExecutionId,
    ...(newest.status ? { status: newest.status } : {}),
    ...(token ? { token } : {}),
  };
}
