import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import type { ApprovalAction } from "../approvals/approval.js";
import { findRunOfToken } from "./find-run-of-token.js";
import type { RegionalPipelines } from "./regional-pipelines.js";
import { tokenOf } from "./scan-action-executions.js";

/**
 * The execution in which this token is the pending approval, or undefined when it is not (decided,
 * expired, superseded). Throws ActionExecutionScanLimitError when a PARALLEL pipeline's history
 * is too long to tell.
 */
export async function findPendingExecution(
  pipelines: RegionalPipelines,
  action: ApprovalAction,
  token: string,
): Promise<string | undefined> {
  const [pipeline, state] = await Promise.all([
    pipelines.definition(action.pipelineName),
    pipelines.client.send(new GetPipelineStateCommand({ name: action.pipelineName })),
  ]);
  if (pipeline?.executionMode === "PARALLEL") {
    // In PARALLEL mode the stage state shows only one of many executions.
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/execution-modes.html
    const run = await findRunOfToken(pipelines, action, token);
    return run && tokenOf(run) === token && run.status === "InProgress"
      ? run.pipelineExecutionId
      : undefined;
  }
  const stage = state.stageStates?.find((candidate) => candidate.stageName === action.stageName);
  const latest = stage?.actionStates?.find(
    (candidate) => candidate.actionName === action.actionName,
  )?.latestExecution;
  return latest?.token === token && latest.status === "InProgress"
    ? stage?.latestExecution?.pipelineExecutionId
    : undefined;
}
