import {
  ActionNotFoundException,
  ApprovalAlreadyCompletedException,
  InvalidApprovalTokenException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StageNotFoundException,
  type CodePipelineClient,
} from "@aws-sdk/client-codepipeline";
import type { PendingApproval, Verdict } from "../approvals/approval.js";

export type PutApprovalOutcome =
  | { kind: "recorded"; approvedAt: string }
  | { kind: "already-completed" }
  | { kind: "invalid-token" }
  | { kind: "not-found"; what: "pipeline" | "stage" | "action" };

/**
 * Answers the approval. CodePipeline's refusals (already answered, token expired or superseded,
 * pipeline/stage/action gone) are outcomes; anything else is thrown.
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutApprovalResult.html
 */
export async function putApprovalResult(
  client: CodePipelineClient,
  approval: PendingApproval,
  verdict: Verdict,
  summary: string,
  now: () => number,
): Promise<PutApprovalOutcome> {
  try {
    const out = await client.send(
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
    if (error instanceof ApprovalAlreadyCompletedException) return { kind: "already-completed" };
    if (error instanceof InvalidApprovalTokenException) return { kind: "invalid-token" };
    if (error instanceof PipelineNotFoundException) return { kind: "not-found", what: "pipeline" };
    if (error instanceof StageNotFoundException) return { kind: "not-found", what: "stage" };
    if (error instanceof ActionNotFoundException) return { kind: "not-found", what: "action" };
    throw error;
  }
}
