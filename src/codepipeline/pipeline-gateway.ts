import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import type { ApprovalAction, PendingApproval, Verdict } from "../approvals/approval.js";
import { cachePipelineDefinitions } from "./cache-pipeline-definitions.js";
import { createCodePipelineClient } from "./create-codepipeline-client.js";
import {
  findLatestActionExecution,
  type LatestActionExecution,
} from "./find-latest-action-execution.js";
import { findPendingExecution } from "./find-pending-execution.js";
import {
  findSourceCommits,
  lookUpSourceCommits,
  type SourceCommitsLookup,
} from "./find-source-commits.js";
import type { SourceCommit } from "./pipeline-sources.js";
import { putApprovalResult, type PutApprovalOutcome } from "./put-approval-result.js";
import { readApprovalState, type ApprovalState } from "./read-approval-state.js";
import type { RegionalPipelines } from "./regional-pipelines.js";

export type { ApprovalState, LatestActionExecution, PutApprovalOutcome, SourceCommitsLookup };

export interface PipelineGateway {
  /**
   * The execution in which this token is the pending approval, or undefined when it is not. Throws
   * ActionExecutionScanLimitError when a PARALLEL pipeline's history is too long to tell.
   */
  findPendingExecution(action: ApprovalAction, token: string): Promise<string | undefined>;
  /** The GitHub commits an execution was built from. */
  findSourceCommits(
    region: string,
    pipelineName: string,
    executionId: string,
  ): Promise<SourceCommit[]>;
  putApprovalResult(
    approval: PendingApproval,
    verdict: Verdict,
    summary: string,
  ): Promise<PutApprovalOutcome>;
  readApprovalState(approval: PendingApproval, now: Date): Promise<ApprovalState>;
  /** Like findSourceCommits, but a pipeline or execution that no longer exists is an answer. */
  lookUpSourceCommits(
    region: string,
    pipelineName: string,
    executionId: string,
  ): Promise<SourceCommitsLookup>;
  /** What superseded an older approval: the newest run of the same action. */
  findLatestActionExecution(action: ApprovalAction): Promise<LatestActionExecution | undefined>;
}

export interface PipelineGatewayOptions {
  /**
   * Builds the client for a region (createCodePipelineClient by default); the SDK reads credentials
   * and AWS_ENDPOINT_URL_CODEPIPELINE.
   */
  createClient?: (region: string) => CodePipelineClient;
  /** Pipeline definitions change rarely; they are re-read after this long. */
  definitionTtlMs?: number;
  /** How many ListActionExecutions pages (of 100) one question may read. */
  maxActionExecutionPages?: number;
  now?: () => number;
}

/**
 * A thin adapter over the CodePipeline API: one function per question the domain asks, each in its
 * own file; this only keeps one client per region and the shared definition cache.
 */
export function createPipelineGateway({
  createClient = createCodePipelineClient,
  definitionTtlMs = 5 * 60_000,
  maxActionExecutionPages = 10,
  now = Date.now,
}: PipelineGatewayOptions = {}): PipelineGateway {
  const clients = new Map<string, CodePipelineClient>();
  const client = (region: string) => {
    let found = clients.get(region);
    if (!found) clients.set(region, (found = createClient(region)));
    return found;
  };
  const definition = cachePipelineDefinitions({ client, ttlMs: definitionTtlMs, now });
  const inRegion = (region: string): RegionalPipelines => ({
    client: client(region),
    definition: (pipelineName) => definition(region, pipelineName),
    maxActionExecutionPages,
  });

  return {
    findPendingExecution: (action, token) =>
      findPendingExecution(inRegion(action.region), action, token),
    findSourceCommits: (region, pipelineName, executionId) =>
      findSourceCommits(inRegion(region), pipelineName, executionId),
    putApprovalResult: (approval, verdict, summary) =>
      putApprovalResult(client(approval.region), approval, verdict, summary, now),
    readApprovalState: (approval, at) => readApprovalState(inRegion(approval.region), approval, at),
    lookUpSourceCommits: (region, pipelineName, executionId) =>
      lookUpSourceCommits(inRegion(region), pipelineName, executionId),
    findLatestActionExecution: (action) =>
      findLatestActionExecution(inRegion(action.region), action),
  };
}
