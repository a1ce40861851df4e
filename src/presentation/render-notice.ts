import { approvalAddress } from "../approvals/approval.js";
import type { CheckRunSnapshot, TrackedApproval } from "../approvals/check-run-record.js";
import { codeSpan, formatTime, quoteBlock, safeLink } from "./escape-markdown.js";
import { describeResolution } from "./describe-resolution.js";
import { accountLabel } from "./account-label.js";
import { breakGlassNote, holdNote } from "./render-controls.js";

/**
 * Hidden in every notice: which check run (so which approval on which commit) it is about. A
 * redelivered notification finds it and posts nothing; a decision finds it and edits it.
 */
export function noticeMarker(checkRunId: number): string {
  return `<!-- codepipeline-approvals:notice check-run-${checkRunId} -->`;
}

/** The PR comment for one approval: what waits and how to decide, then how it ended. */
export function renderNotice(
  tracked: TrackedApproval,
  checkRun: Pick<CheckRunSnapshot, "id" | "head_sha" | "html_url">,
): string {
  const { approval, record } = tracked;
  const address = codeSpan(approvalAddress(approval));
  const commit = codeSpan(checkRun.head_sha.slice(0, 7));
  const checkRunLink = safeLink("check run", checkRun.html_url ?? undefined) ?? "check run";
  const said = describeResolution(record.resolution);

  if (record.resolution.kind === "pending") {
    const note = approval.customData
      ? `\n\n**Note from the pipeline**\n\n${quoteBlock(approval.customData)}`
      : "";
    return [
      noticeMarker(checkRun.id),
      `### ${said.icon} Waiting for approval: ${address}`,
      "",
      `CodePipeline is waiting for a decision on commit ${commit} before it continues: pipeline ${codeSpan(approval.pipelineName)}, stage ${codeSpan(approval.stageName)}, action ${codeSpan(approval.actionName)} (${accountLabel(approval) ? `AWS account ${accountLabel(approval)}, ` : ""}region ${codeSpan(approval.region)}). The approval expires at ${formatTime(approval.expiresAt)}.${note}`,
      "",
      // A hold (docs/controls.md): edited in and out when someone holds or unholds.
      ...paragraph(holdNote(record.history)),
      "**How to decide**",
      "",
      `- open the ${checkRunLink} and click **Approve** or **Request changes**, or`,
      "- comment `/approve` or `/reject <reason>` on this pull request; with several approvals",
      `  waiting, name this one: ${codeSpan(`/approve ${approvalAddress(approval)}`)}.`,
    ].join("\n");
  }

  const reason =
    record.resolution.kind === "decided" && record.resolution.reason
      ? `\n\n**Reason**\n\n${quoteBlock(record.resolution.reason)}`
      : "";
  return [
    noticeMarker(checkRun.id),
    `### ${said.icon} ${said.headline}: ${address}`,
    "",
    `${address} on commit ${commit} ${said.predicate}.${reason}`,
    "",
    ...paragraph(breakGlassNote(record.resolution)),
    `The ${checkRunLink} keeps the audit trail.`,
  ].join("\n");
}

function paragraph(text: string): string[] {
  return text ? [text, ""] : [];
}
