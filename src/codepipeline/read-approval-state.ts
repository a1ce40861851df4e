import {
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
  type ActionExecutionDetail,
} from "@aws-sdk/client-codepipeline";
import type { PendingApproval } from "../approvals/approval.js";
import { findRunOfToken } from "./find-run-of-token.js";
import type { RegionalPipelines } from "./regional-pipelines.js";
import { tokenOf } from "./scan-action-executions.js";

/** What CodePipeline says about one approval, read when GitHub's view may be out of date. */
export type ApprovalState =
  | { kind: "pending" }
  | { kind: "approved" | "rejected"; summary?: string; by?: string; at?: string }
  | { kind: "expired"; at?: string }
  | { kind: "superseded" }
  | { kind: "gone"; what: "pipeline" | "execution" | "action" };

/**
 * The approval's state, from its run among its execution's action executions. Throws
 * ActionExecutionScanLimitError when the execution's history is too long to find the run.
 */
export async function readApprovalState(
  pipelines: RegionalPipelines,
  approval: PendingApproval,
  at: Date,
): Promise<ApprovalState> {
  let run;
  try {
    run = await findRunOfToken(pipelines, approval, approval.token, approval.executionId);
  } catch (error) {
    if (error instanceof PipelineNotFoundException) return { kind: "gone", what: "pipeline" };
    if (error instanceof PipelineExecutionNotFoundException) {
      return { kind: "gone", what: "execution" };
    }
    throw error;
  }
  return approvalStateOf(run, approval, at);
}

/** A run's status as an approval state; the run may be another one of the same action. */
export function approvalStateOf(
  run: ActionExecutionDetail | undefined,
  approval: PendingApproval,
  at: Date,
): ApprovalState {
  if (!run) return { kind: "gone", what: "action" };
  const runToken = tokenOf(run);
  if (runToken && runToken !== approval.token) return { kind: "superseded" };
  const summary = run.output?.executionResult?.externalExecutionSummary;
  const when = run.lastUpdateTime?.toISOString();
  const facts = {
    ...(summary ? { summary } : {}),
    ...(run.updatedBy ? { by: run.updatedBy } : {}),
    ...(when ? { at: when } : {}),
  };
  switch (run.status) {
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
}
