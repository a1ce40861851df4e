import { CallCounter, clock, serveFake, type FakeReply } from "./serve-fake.js";
import type { ModelPipeline, WorldModel } from "./world-model.js";

/**
 * CodePipeline over AWS JSON 1.1 (POST /, `x-amz-target: CodePipeline_20150709.<Operation>`),
 * answering from the world model: every approval action is pending until PutApprovalResult.
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/
 */
export async function startFakeCodePipeline(model: () => WorldModel, latencyMs: () => number) {
  const calls = new CallCounter();
  /** token → when CodePipeline's answer to the first successful PutApprovalResult left. */
  const decidedAt = new Map<string, number>();
  const listeners = new Set<(token: string, at: number) => void>();

  const handle = (operation: string, input: Record<string, unknown>): FakeReply => {
    const world = model();
    const pipelineName = String(input.name ?? input.pipelineName ?? "");
    const pipeline = world.pipelines.get(pipelineName);
    if (!pipeline) return awsError("PipelineNotFoundException", `${pipelineName} not found`);
    switch (operation) {
      case "GetPipeline":
        return ok(pipelineDefinition(pipeline));
      case "GetPipelineState":
        return ok(pipelineState(pipeline));
      case "GetPipelineExecution": {
        const execution = pipeline.executions.find(
          (candidate) => candidate.executionId === input.pipelineExecutionId,
        );
        if (!execution) {
          return awsError("PipelineExecutionNotFoundException", "no such execution");
        }
        return ok({
          pipelineExecution: {
            pipelineName,
            pipelineVersion: 1,
            pipelineExecutionId: execution.executionId,
            status: "InProgress",
            artifactRevisions: [
              { name: "SourceArtifact", revisionId: execution.sha, created: epoch() },
            ],
          },
        });
      }
      case "ListActionExecutions": {
        const runs = pipeline.executions.flatMap((execution) => execution.approvals);
        return ok({
          actionExecutionDetails: [...runs].reverse().map((approval) => ({
            pipelineExecutionId: approval.executionId,
            actionExecutionId: approval.token,
            stageName: approval.stageName,
            actionName: approval.actionName,
            status: approval.status,
            // Runs started in the order they were created, a second apart.
            startTime: 1_767_225_600 + runs.indexOf(approval),
            lastUpdateTime: epoch(),
            output: { executionResult: { externalExecutionId: approval.token } },
          })),
        });
      }
      case "PutApprovalResult": {
        if (!pipeline.actions.includes(String(input.actionName))) {
          return awsError("ActionNotFoundException", "no such action");
        }
        const approval = world.approvals.get(String(input.token));
        if (
          !approval ||
          approval.pipelineName !== pipelineName ||
          approval.actionName !== input.actionName
        ) {
          return awsError("InvalidApprovalTokenException", "The token is not valid");
        }
        if (approval.status !== "InProgress") {
          return awsError("ApprovalAlreadyCompletedException", "already approved or rejected");
        }
        const status = (input.result as { status?: string } | undefined)?.status;
        approval.status = status === "Rejected" ? "Failed" : "Succeeded";
        return {
          ...ok({ approvedAt: epoch() }),
          afterSend: (at) => {
            decidedAt.set(approval.token, at);
            for (const listener of listeners) listener(approval.token, at);
          },
        };
      }
      default:
        return awsError("UnknownOperationException", operation);
    }
  };

  const fake = await serveFake((request) => {
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.replace(/^CodePipeline_20150709\./, "");
    calls.add(operation);
    return handle(operation, JSON.parse(request.body || "{}") as Record<string, unknown>);
  }, latencyMs);

  return {
    ...fake,
    calls,
    decidedAt,
    onDecided(listener: (token: string, at: number) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      calls.reset();
      decidedAt.clear();
      listeners.clear();
    },
  };
}

function pipelineDefinition(pipeline: ModelPipeline) {
  return {
    pipeline: {
      name: pipeline.name,
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
                ConnectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/bench",
                FullRepositoryId: `${pipeline.owner}/${pipeline.repo}`,
                BranchName: "main",
              },
              outputArtifacts: [{ name: "SourceArtifact" }],
            },
          ],
        },
        {
          name: "Approval",
          actions: pipeline.actions.map((actionName) => ({
            name: actionName,
            actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
          })),
        },
      ],
    },
    metadata: { pipelineArn: `arn:aws:codepipeline:us-east-1:123456789012:${pipeline.name}` },
  };
}

function pipelineState(pipeline: ModelPipeline) {
  const latest = pipeline.executions.at(-1);
  return {
    pipelineName: pipeline.name,
    pipelineVersion: 1,
    stageStates: latest
      ? [
          {
            stageName: "Source",
            latestExecution: { pipelineExecutionId: latest.executionId, status: "Succeeded" },
            actionStates: [{ actionName: "Source", latestExecution: { status: "Succeeded" } }],
          },
          {
            stageName: "Approval",
            latestExecution: { pipelineExecutionId: latest.executionId, status: "InProgress" },
            actionStates: latest.approvals.map((approval) => ({
              actionName: approval.actionName,
              latestExecution: {
                status: approval.status,
                token: approval.token,
                lastStatusChange: epoch(),
              },
            })),
          },
        ]
      : [],
  };
}

const json = { "content-type": "application/x-amz-json-1.1" };

function ok(body: unknown): FakeReply {
  return { status: 200, body, headers: json };
}

function awsError(type: string, message: string): FakeReply {
  return {
    status: 400,
    body: { __type: `com.amazonaws.codepipeline#${type}`, message },
    headers: json,
  };
}

function epoch() {
  return clock() / 1000;
}
