import type { ActionExecutionDetail } from "@aws-sdk/client-codepipeline";
import type { ApprovalAction } from "../approvals/approval.js";
import type { RegionalPipelines } from "./regional-pipelines.js";
import {
  ActionExecutionScanLimitError,
  isRunOf,
  scanActionExecutions,
  tokenOf,
} from "./scan-action-executions.js";

/**
 * The run of an approval action that holds this token, else a run without a token, else another
 * run of the same action; in one execution when `executionId` is given. Throws
 * ActionExecutionScanLimitError when the page limit was hit before the token's run was found.
 */
export async function findRunOfToken(
  { client, maxActionExecutionPages }: RegionalPipelines,
  action: ApprovalAction,
  token: string,
  executionId?: string,
): Promise<ActionExecutionDetail | undefined> {
  let own: ActionExecutionDetail | undefined;
  let tokenless: ActionExecutionDetail | undefined;
  let other: ActionExecutionDetail | undefined;
  const end = await scanActionExecutions(
    client,
    {
      pipelineName: action.pipelineName,
      ...(executionId ? { filter: { pipelineExecutionId: executionId } } : {}),
    },
    (details) => {
      for (const detail of details.filter((candidate) => isRunOf(action, candidate))) {
        const runToken = tokenOf(detail);
        if (runToken === token) own = detail;
        else if (!runToken) tokenless ??= detail;
        else other ??= detail;
      }
      return own !== undefined;
    },
    maxActionExecutionPages,
  );
  if (!own && end === "limited") {
    throw new ActionExecutionScanLimitError(action.pipelineName, maxActionExecutionPages);
  }
  return own ?? tokenless ?? other;
}

/**
 * The execution in which this token's approval ran, whatever became of it (decided, expired,
 * superseded): what a notification does not carry. Undefined when no run holds the token; throws
 * ActionExecutionScanLimitError when the page limit was hit before it was found.
 */
export async function findExecutionOfToken(
  pipelines: RegionalPipelines,
  action: ApprovalAction,
  token: string,
): Promise<string | undefined> {
  const run = await findRunOfToken(pipelines, action, token);
  return run && tokenOf(run) === token ? run.pipelineExecutionId : undefined;
}
