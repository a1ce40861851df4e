import type { ApprovalAction } from "../approvals/approval.js";

/**
 * The pipeline execution in the AWS console (its timeline), in the execution's own region. The
 * console's address scheme is not a documented API; this is the form the console itself links to
 * (…/codesuite/codepipeline/pipelines/<pipeline>/executions/<id>/timeline?region=<region>).
 * Undefined for a region or id that could not be part of such an address, and for the China,
 * GovCloud and isolated partitions, whose consoles live on other hosts.
 */
export function executionConsoleUrl(
  action: Pick<ApprovalAction, "region" | "pipelineName">,
  executionId: string,
): string | undefined {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(action.region)) return undefined;
  if (/^(cn|us-gov|us-iso[a-z]*|eu-isoe)-/.test(action.region)) return undefined;
  if (!/^[A-Za-z0-9-]+$/.test(executionId)) return undefined;
  const pipeline = encodeURIComponent(action.pipelineName);
  return `https://${action.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipeline}/executions/${executionId}/timeline?region=${action.region}`;
}
