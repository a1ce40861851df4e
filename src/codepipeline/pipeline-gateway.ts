import {
  ActionNotFoundException,
  ApprovalAlreadyCompletedException,
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StageNotFoundException,
  type ActionExecutionDetail,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";
import type { ApprovalAction, PendingApproval, Verdict } from "../approvals/approval.js";
import { findGitHubSources, matchSourceCommits, type SourceCommit } from "./pipeline-sources.js";
import {
  ActionExecutionScanLimitError,
  isRunOf,
  scanActionExecutions,
  tokenOf,
} from "./scan-action-executions.js";

export type PutApprovalOutcome =
  | { kind: "recorded"; approvedAt: string }
  | { kind: "already-completed" }
  | { kind: "invalid-token" }
  | { kind: "not-found"; what: "pipeline" | "stage" | "action" };

/** What CodePipeline says about one approval, read when GitHub's view may be out of date. */
export type ApprovalState =
  | { kind: "pending" }
  | { kind: "approved" | "rejected"; summary?: string; by?: string; at?: string }
  | { kind: "expired"; at?: string }
  | { kind: "superseded" }
  | { kind: "gone"; what: "pipeline" | "execution" | "action" };

/** An execution's GitHub commits, or why there is no execution to ask about any more. */
export type SourceCommitsLookup =
  { kind: "found"; commits: SourceCommit[] } | { kind: "gone"; what: "pipeline" | "execution" };

/** The newest run of one approval action, whichever pipeline execution it belongs to. */
export interface LatestActionExecution {
  executionId: string;
  status?: string;
  token?: string;
}

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
  /** Builds the client for a region; the SDK reads credentials and AWS_ENDPOINT_URL_CODEPIPELINE. */
  createClient?: (region: string) => CodePipelineClient;
  /** Pipeline definitions change rarely; they are re-read after this long. */
  definitionTtlMs?: number;
  /** How many ListActionExecutions pages (of 100) one question may read. */
  maxActionExecutionPages?: number;
  now?: () => number;
}

/** A thin adapter over the CodePipeline API: one function per question the domain asks. */
export function createPipelineGateway({
  createClient = (region) =>
    new CodePipelineClient({ region, retryMode: "adaptive", maxAttempts: 4 }),
  definitionTtlMs = 5 * 60_000,
  maxActionExecutionPages = 10,
  now = Date.now,
}: PipelineGatewayOptions = {}): PipelineGateway {
  const clients = new Map<string, CodePipelineClient>();
  const definitions = new Map<
    string,
    { at: number; pipeline: Promise<PipelineDeclaration | undefined> }
  >();

  const client = (region: string) => {
    let found = clients.get(region);
    if (!found) clients.set(region, (found = createClient(region)));
    return found;
  };

  /** Cached, and shared while in flight, so a burst for one pipeline costs one GetPipeline. */
  const definition = (region: string, name: string) => {
    const key = `${region}/${name}`;
    const cached = definitions.get(key);
    if (cached && now() - cached.at < definitionTtlMs) return cached.pipeline;
    const pipeline = client(region)
      .send(new GetPipelineCommand({ name }))
      .then((out) => out.pipeline);
    definitions.set(key, { at: now(), pipeline });
    pipeline.catch(() => definitions.delete(key));
    return pipeline;
  };

  /** The token's own run, else a token-less run, else another run of the same action. */
  const runOfToken = async (action: ApprovalAction, token: string, executionId?: string) => {
    let own: ActionExecutionDetail | undefined;
    let tokenless: ActionExecutionDetail | undefined;
    let other: ActionExecutionDetail | undefined;
    const end = await scanActionExecutions(
      client(action.region),
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
  };

  return {
    async findPendingExecution(action, token) {
      const [pipeline, state] = await Promise.all([
        definition(action.region, action.pipelineName),
        client(action.region).send(new GetPipelineStateCommand({ name: action.pipelineName })),
      ]);
      if (pipeline?.executionMode === "PARALLEL") {
        // In PARALLEL mode the stage state shows only one of many executions.
        const detail = await runOfToken(action, token);
        return detail && tokenOf(detail) === token && detail.status === "InProgress"
          ? detail.pipelineExecutionId
          : undefined;
      }
      const stage = state.stageStates?.find(
        (candidate) => candidate.stageName === action.stageName,
      );
      const latest = stage?.actionStates?.find(
        (a) => a.actionName === action.actionName,
      )?.latestExecution;
      return latest?.token === token && latest.status === "InProgress"
        ? stage?.latestExecution?.pipelineExecutionId
        : undefined;
    },

    async findSourceCommits(region, pipelineName, executionId) {
      const [pipeline, execution] = await Promise.all([
        definition(region, pipelineName),
        client(region).send(
          new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
        ),
      ]);
      return matchSourceCommits(
        findGitHubSources(pipeline),
        execution.pipelineExecution?.artifactRevisions ?? [],
      );
    },

    async putApprovalResult(approval, verdict, summary) {
      try {
        const out = await client(approval.region).send(
          new PutApprovalResultCommand({
            pipelineName: approval.pipelineName,
            stageName: approval.stageName,
            actionName: approval.actionName,
            token: approval.token,
            result: { status: verdict, summary },
          }),
        );
        return { kind: "recorded", approvedAt: (out.approvedAt ?? new Date(now())).toISOString() };
      } catch (error) {
        if (error instanceof ApprovalAlreadyCompletedException)
          return { kind: "already-completed" };
        if (error instanceof InvalidApprovalTokenException) return { kind: "invalid-token" };
        if (error instanceof PipelineNotFoundException)
          return { kind: "not-found", what: "pipeline" };
        if (error instanceof StageNotFoundException) return { kind: "not-found", what: "stage" };
        if (error instanceof ActionNotFoundException) return { kind: "not-found", what: "action" };
        throw error;
      }
    },

    async readApprovalState(approval, at) {
      let detail;
      try {
        detail = await runOfToken(approval, approval.token, approval.executionId);
      } catch (error) {
        if (error instanceof PipelineNotFoundException) return { kind: "gone", what: "pipeline" };
        if (error instanceof PipelineExecutionNotFoundException)
          return { kind: "gone", what: "execution" };
        throw error;
      }
      if (!detail) return { kind: "gone", what: "action" };
      const result = detail.output?.executionResult;
      if (result?.externalExecutionId && result.externalExecutionId !== approval.token) {
        return { kind: "superseded" };
      }
      const when = detail.lastUpdateTime?.toISOString();
      const facts = {
        ...(result?.externalExecutionSummary ? { summary: result.externalExecutionSummary } : {}),
        ...(detail.updatedBy ? { by: detail.updatedBy } : {}),
        ...(when ? { at: when } : {}),
      };
      switch (detail.status) {
        case "InProgress":
          return { kind: "pending" };
        case "Succeeded":
          return { kind: "approved", ...facts };
        case "Abandoned":
          return { kind: "superseded" };
        default:
          // A Failed approval was either rejected or timed out; only the clock tells them apart.
          return at.getTime() >= Date.parse(approval.expiresAt) && !facts.summary
            ? { kind: "expired", ...(when ? { at: when } : {}) }
            : { kind: "rejected", ...facts };
      }
    },

    async lookUpSourceCommits(region, pipelineName, executionId) {
      try {
        const [pipeline, execution] = await Promise.all([
          definition(region, pipelineName),
          client(region).send(
            new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
          ),
        ]);
        const revisions = execution.pipelineExecution?.artifactRevisions ?? [];
        return {
          kind: "found",
          commits: matchSourceCommits(findGitHubSources(pipeline), revisions),
        };
      } catch (error) {
        if (error instanceof PipelineNotFoundException) return { kind: "gone", what: "pipeline" };
        if (error instanceof PipelineExecutionNotFoundException)
          return { kind: "gone", what: "execution" };
        throw error;
      }
    },

    async findLatestActionExecution(action) {
      // The order of ListActionExecutions is not documented: the newest run is picked by start
      // time on the first page that has any run of the action.
      let runs: ActionExecutionDetail[] = [];
      await scanActionExecutions(
        client(action.region),
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
    },
  };
}
