/**
 * One CodePipeline pipeline (SUPERSEDED mode, a GitHub source, one manual approval) in memory:
 * executions, the runs of its approval action and PutApprovalResult, which accepts ONE answer
 * per token and afterwards answers as the API reference documents:
 * ApprovalAlreadyCompletedException once the token was answered, InvalidApprovalTokenException
 * once it expired or was superseded. https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutApprovalResult.html
 * Every change of an approval run emits the EventBridge event CodePipeline would send.
 */
export const modelPipeline = {
  region: "us-east-1",
  pipelineName: "my-service-pipeline",
  stageName: "Approval",
  actionName: "ManualApproval",
} as const;

export type RunStatus = "InProgress" | "Succeeded" | "Failed" | "Abandoned";

export interface ApprovalRun {
  executionId: string;
  token: string;
  sha: string;
  status: RunStatus;
  summary?: string | undefined;
  updatedBy?: string | undefined;
  startTime: number;
  lastUpdateTime: number;
  expires: string;
}

/** An answer CodePipeline took: through the API (the bridge), or in the console. */
export interface AcceptedAnswer {
  token: string;
  status: "Approved" | "Rejected";
  summary: string;
  at: number;
  via: "api" | "console";
}

export type PipelineEvent = Record<string, unknown>;

export interface CodePipelineModelOptions {
  clock: () => number;
  onEvent: (event: PipelineEvent) => void;
  /** A broken variant for the checker's own test: accept every answer, however often. */
  acceptTwice?: boolean;
}

type Reply = { status: number; body: Record<string, unknown> };

export class CodePipelineModel {
  runs: ApprovalRun[] = [];
  accepted: AcceptedAnswer[] = [];
  private executions = 0;

  constructor(private readonly options: CodePipelineModelOptions) {}

  /** Starts an execution on a commit; its approval waits with a new token. */
  startExecution(sha: string, expires: string): ApprovalRun {
    this.executions += 1;
    const n = this.executions;
    const now = this.options.clock();
    for (const run of this.runs) {
      if (run.status === "InProgress") this.finish(run, "Abandoned", now);
    }
    const run: ApprovalRun = {
      executionId: `6a7e8feb-b491-4cf7-a9f1-${String(n).padStart(12, "0")}`,
      token: `0c35520a-b7e6-403d-ba3f-${String(n).padStart(12, "0")}`,
      sha,
      status: "InProgress",
      startTime: now,
      lastUpdateTime: now,
      expires,
    };
    this.runs.push(run);
    return run;
  }

  pending(): ApprovalRun | undefined {
    return this.runs.find((run) => run.status === "InProgress");
  }

  run(token: string): ApprovalRun | undefined {
    return this.runs.find((run) => run.token === token);
  }

  /** Someone answers in the AWS console. */
  answerInConsole(status: "Approved" | "Rejected"): boolean {
    const run = this.pending();
    if (!run) return false;
    const summary =
      status === "Approved" ? "Looks fine from the console" : "Stopped from the console";
    this.take(run, status, summary, "console", "arn:aws:iam::123456789012:user/ops");
    return true;
  }

  /** The approval times out: the action fails with no summary. */
  expire(): boolean {
    const run = this.pending();
    if (!run) return false;
    this.finish(run, "Failed", this.options.clock());
    return true;
  }

  handle(target: string, input: Record<string, unknown>): Reply {
    switch (target) {
      case "GetPipeline":
        return ok({ pipeline: definition(), metadata: {} });
      case "GetPipelineState":
        return ok(this.state());
      case "GetPipelineExecution": {
        const run = this.runs.find((r) => r.executionId === input.pipelineExecutionId);
        if (!run) return error("PipelineExecutionNotFoundException", "execution not found");
        return ok({
          pipelineExecution: {
            pipelineName: modelPipeline.pipelineName,
            pipelineVersion: 1,
            pipelineExecutionId: run.executionId,
            status: run.status === "InProgress" ? "InProgress" : "Succeeded",
            artifactRevisions: [{ name: "SourceArtifact", revisionId: run.sha }],
          },
        });
      }
      case "ListActionExecutions":
        return ok(this.listActionExecutions(input));
      case "PutApprovalResult":
        return this.putApprovalResult(input);
      default:
        return error("UnknownOperationException", target);
    }
  }

  private state() {
    const latest = this.runs.at(-1);
    return {
      pipelineName: modelPipeline.pipelineName,
      pipelineVersion: 1,
      stageStates: [
        {
          stageName: "Source",
          actionStates: [{ actionName: "Source", latestExecution: { status: "Succeeded" } }],
        },
        {
          stageName: modelPipeline.stageName,
          ...(latest
            ? {
                latestExecution: {
                  pipelineExecutionId: latest.executionId,
                  status: latest.status === "Abandoned" ? "Stopped" : latest.status,
                },
              }
            : {}),
          actionStates: [
            {
              actionName: modelPipeline.actionName,
              ...(latest
                ? {
                    latestExecution: {
                      status: latest.status,
                      token: latest.token,
                      lastStatusChange: latest.lastUpdateTime / 1000,
                    },
                  }
                : {}),
            },
          ],
        },
      ],
    };
  }

  private listActionExecutions(input: Record<string, unknown>) {
    const filter = input.filter as { pipelineExecutionId?: string } | undefined;
    const details = this.runs
      .filter(
        (run) => !filter?.pipelineExecutionId || run.executionId === filter.pipelineExecutionId,
      )
      .sort((a, b) => b.startTime - a.startTime)
      .map((run) => ({
        pipelineExecutionId: run.executionId,
        actionExecutionId: `ae-${run.token}`,
        stageName: modelPipeline.stageName,
        actionName: modelPipeline.actionName,
        status: run.status,
        startTime: run.startTime / 1000,
        lastUpdateTime: run.lastUpdateTime / 1000,
        ...(run.updatedBy ? { updatedBy: run.updatedBy } : {}),
        output: {
          executionResult: {
            externalExecutionId: run.token,
            ...(run.summary ? { externalExecutionSummary: run.summary } : {}),
          },
        },
      }));
    return { actionExecutionDetails: details };
  }

  private putApprovalResult(input: Record<string, unknown>): Reply {
    const result = input.result as { status?: string; summary?: string } | undefined;
    if (
      input.pipelineName !== modelPipeline.pipelineName ||
      input.stageName !== modelPipeline.stageName ||
      input.actionName !== modelPipeline.actionName
    ) {
      return error("ActionNotFoundException", "no such action");
    }
    const summary = result?.summary ?? "";
    const status = result?.status;
    if ((status !== "Approved" && status !== "Rejected") || summary.length > 512) {
      return error("ValidationException", "1 validation error detected");
    }
    const run = this.run(String(input.token));
    const answered =
      run && (run.status === "Succeeded" || (run.status === "Failed" && run.summary));
    if (!this.options.acceptTwice || !answered) {
      if (!run || run.status === "Abandoned" || (run.status === "Failed" && !run.summary)) {
        return error(
          "InvalidApprovalTokenException",
          "The approval request already received a response or has expired.",
        );
      }
      if (run.status !== "InProgress") {
        return error(
          "ApprovalAlreadyCompletedException",
          "The approval action has already been approved or rejected.",
        );
      }
    }
    this.take(run!, status, summary, "api", "arn:aws:iam::123456789012:role/bridge");
    return ok({ approvedAt: this.options.clock() / 1000 });
  }

  private take(
    run: ApprovalRun,
    status: "Approved" | "Rejected",
    summary: string,
    via: AcceptedAnswer["via"],
    by: string,
  ) {
    const now = this.options.clock();
    this.accepted.push({ token: run.token, status, summary, at: now, via });
    run.summary = summary;
    run.updatedBy = by;
    this.finish(run, status === "Approved" ? "Succeeded" : "Failed", now);
  }

  private finish(run: ApprovalRun, status: RunStatus, now: number) {
    run.status = status;
    run.lastUpdateTime = now;
    this.options.onEvent(stateChangeEvent(run, now));
  }
}

/** The EventBridge "CodePipeline Action Execution State Change" event for an approval run. */
function stateChangeEvent(run: ApprovalRun, now: number): PipelineEvent {
  const state = {
    Succeeded: "SUCCEEDED",
    Failed: "FAILED",
    Abandoned: "ABANDONED",
    InProgress: "STARTED",
  }[run.status];
  return {
    version: "0",
    id: `event-${run.token}-${state}`,
    "detail-type": "CodePipeline Action Execution State Change",
    source: "aws.codepipeline",
    account: "123456789012",
    time: new Date(now).toISOString(),
    region: modelPipeline.region,
    resources: [`arn:aws:codepipeline:us-east-1:123456789012:${modelPipeline.pipelineName}`],
    detail: {
      pipeline: modelPipeline.pipelineName,
      "execution-id": run.executionId,
      stage: modelPipeline.stageName,
      action: modelPipeline.actionName,
      state,
      region: modelPipeline.region,
      type: { owner: "AWS", provider: "Manual", category: "Approval", version: "1" },
      version: 1,
    },
  };
}

function definition() {
  return {
    name: modelPipeline.pipelineName,
    version: 1,
    executionMode: "SUPERSEDED",
    pipelineType: "V2",
    roleArn: "arn:aws:iam::123456789012:role/pipeline",
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Source",
            actionTypeId: {
              category: "Source",
              owner: "AWS",
              provider: "CodeStarSourceConnection",
              version: "1",
            },
            configuration: {
              ConnectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/abc",
              FullRepositoryId: "octo-org/service",
              BranchName: "main",
            },
            outputArtifacts: [{ name: "SourceArtifact" }],
          },
        ],
      },
      {
        name: modelPipeline.stageName,
        actions: [
          {
            name: modelPipeline.actionName,
            actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
          },
        ],
      },
    ],
  };
}

function ok(body: Record<string, unknown>): Reply {
  return { status: 200, body };
}

function error(type: string, message: string): Reply {
  return { status: 400, body: { __type: type, message } };
}
