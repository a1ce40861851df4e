import type { ApprovalAction, PendingApproval, Verdict } from "../approvals/approval.js";
import {
  createAccountClients,
  type CreateRegionalClient,
  type PipelinePlace,
} from "./account-clients.js";
import type { AwsAccounts } from "./aws-accounts.schema.js";
import { cachePipelineDefinitions } from "./cache-pipeline-definitions.js";
import { createCodePipelineClient } from "./create-codepipeline-client.js";
import {
  findLatestActionExecution,
  type LatestActionExecution,
} from "./find-latest-action-execution.js";
import {
  cacheLastApprovedReleases,
  type LastApprovedRelease,
} from "./find-last-approved-release.js";
import { findPendingExecution } from "./find-pending-execution.js";
import { findExecutionOfToken } from "./find-run-of-token.js";
import {
  findSourceCommits,
  lookUpSourceCommits,
  type SourceCommitsLookup,
} from "./find-source-commits.js";
import type { SourceCommit } from "./pipeline-sources.js";
import { putApprovalResult, type PutApprovalOutcome } from "./put-approval-result.js";
import { readApprovalState, type ApprovalState } from "./read-approval-state.js";
import type { RegionalPipelines } from "./regional-pipelines.js";

export type {
  ApprovalState,
  LastApprovedRelease,
  LatestActionExecution,
  PipelinePlace,
  PutApprovalOutcome,
  SourceCommitsLookup,
};

export interface PipelineGateway {
  /**
   * The execution in which this token is the pending approval, or undefined when it is not. Throws
   * ActionExecutionScanLimitError when a PARALLEL pipeline's history is too long to tell.
   */
  findPendingExecution(action: ApprovalAction, token: string): Promise<string | undefined>;
  /**
   * The execution whose run of the action holds this token, pending or not; undefined when none
   * does. Reads ListActionExecutions, so only a token found no longer pending asks it. Throws
   * ActionExecutionScanLimitError when the history is too long to tell.
   */
  findExecutionOfToken(action: ApprovalAction, token: string): Promise<string | undefined>;
  /** The GitHub commits an execution was built from. */
  findSourceCommits(
    place: PipelinePlace,
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
    place: PipelinePlace,
    pipelineName: string,
    executionId: string,
  ): Promise<SourceCommitsLookup>;
  /** What superseded an older approval: the newest run of the same action. */
  findLatestActionExecution(action: ApprovalAction): Promise<LatestActionExecution | undefined>;
  /**
   * The last release this approval action let through before `executionId`: the newest earlier
   * execution in which it succeeded, and that execution's GitHub commits (cached per action).
   */
  findLastApprovedRelease(
    action: ApprovalAction,
    executionId: string,
  ): Promise<LastApprovedRelease>;
}

export interface PipelineGatewayOptions {
  /**
   * Builds the client for a region (createCodePipelineClient by default) with another account's
   * role credentials, or undefined for the bridge's own: then the SDK reads them, as it reads
   * AWS_ENDPOINT_URL_CODEPIPELINE.
   */
  createClient?: CreateRegionalClient;
  /** The accounts approvals come from; by default only the bridge's own. */
  accounts?: AwsAccounts;
  /** Pipeline definitions change rarely; they are re-read after this long. */
  definitionTtlMs?: number;
  /** How many ListActionExecutions pages (of 100) one question may read. */
  maxActionExecutionPages?: number;
  now?: () => number;
}

const ownAccountOnly: AwsAccounts = { roles: new Map(), aliases: new Map() };

/** A plain client per region; composeBridge wraps it to count calls. */
export const defaultCreateClient: CreateRegionalClient = (region, credentials) =>
  createCodePipelineClient(region, credentials ? { credentials } : {});

/**
 * A thin adapter over the CodePipeline API: one function per question the domain asks, each in its
 * own file; this only keeps one client per account and region, and the shared definition cache.
 * Every question goes to the account and region of the approval it is about.
 */
export function createPipelineGateway({
  createClient = defaultCreateClient,
  accounts = ownAccountOnly,
  definitionTtlMs = 5 * 60_000,
  maxActionExecutionPages = 10,
  now = Date.now,
}: PipelineGatewayOptions = {}): PipelineGateway {
  const { clientFor, keyOf } = createAccountClients(accounts, createClient);
  const definition = cachePipelineDefinitions({
    client: clientFor,
    keyOf,
    ttlMs: definitionTtlMs,
    now,
  });
  const lastApprovedRelease = cacheLastApprovedReleases();
  // Async, so an account without a role rejects like any failed call instead of throwing.
  const at = async (place: PipelinePlace): Promise<RegionalPipelines> => ({
    client: clientFor(place),
    definition: (pipelineName) => definition(place, pipelineName),
    maxActionExecutionPages,
  });

  return {
    findPendingExecution: async (action, token) =>
      findPendingExecution(await at(action), action, token),
    findExecutionOfToken: async (action, token) =>
      findExecutionOfToken(await at(action), action, token),
    findSourceCommits: async (place, pipelineName, executionId) =>
      findSourceCommits(await at(place), pipelineName, executionId),
    putApprovalResult: async (approval, verdict, summary) =>
      putApprovalResult((await at(approval)).client, approval, verdict, summary, now),
    readApprovalState: async (approval, when) =>
      readApprovalState(await at(approval), approval, when),
    lookUpSourceCommits: async (place, pipelineName, executionId) =>
      lookUpSourceCommits(await at(place), pipelineName, executionId),
    findLatestActionExecution: async (action) =>
      findLatestActionExecution(await at(action), action),
    findLastApprovedRelease: async (action, executionId) =>
      lastApprovedRelease(await at(action), action, executionId),
  };
}
