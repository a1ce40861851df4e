import type { PendingApproval } from "../approvals/approval.js";
import { accountLabel } from "./account-label.js";
import { executionConsoleUrl } from "./console-links.js";
import { codeSpan, formatTime, quoteBlock, safeLink } from "./escape-markdown.js";

/**
 * Where the approval waits, as one table row under named columns (GitHub tables need a header,
 * and this way it is a real one). Another fact is one more entry here. Expiry, the review link
 * and the pipeline's note only matter while the approval can still be decided.
 */
export function detailRows(approval: PendingApproval, pending: boolean): [string, string][] {
  const execution = safeLink(
    approval.executionId,
    executionConsoleUrl(approval, approval.executionId),
  );
  const account = accountLabel(approval);
  const rows: [string, string][] = [
    ["Pipeline", codeSpan(approval.pipelineName)],
    ["Stage", codeSpan(approval.stageName)],
    ["Action", codeSpan(approval.actionName)],
    ...(account ? [["AWS account", account] as [string, string]] : []),
    ["Region", codeSpan(approval.region)],
    ["Execution", execution ?? codeSpan(approval.executionId)],
  ];
  if (pending) rows.push(["Expires", formatTime(approval.expiresAt)]);
  return rows;
}

export function renderDetails(approval: PendingApproval, pending: boolean): string {
  const rows = detailRows(approval, pending);
  const table = [
    `| ${rows.map(([label]) => label).join(" | ")} |`,
    `|${rows.map(() => "---|").join("")}`,
    `| ${rows.map(([, value]) => value).join(" | ")} |`,
  ].join("\n");
  if (!pending) return table;
  const review = safeLink("review page", approval.externalEntityLink);
  const note = approval.customData
    ? `**Note from the pipeline**\n\n${quoteBlock(approval.customData)}`
    : "";
  return [table, review ? `**Review link**: ${review}` : "", note].filter(Boolean).join("\n\n");
}
