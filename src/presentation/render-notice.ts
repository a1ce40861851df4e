import { approvalAddress } from "../approvals/approval.js";
import type { CheckRunSnapshot, TrackedApproval } from "../approvals/check-run-record.js";
import { codeSpan, formatTime, quoteBlock, safeLink } from "./escape-markdown.js";
import { describeResolution } from "./describe-resolution.js";
import { accountLabel } from "./account-label.js";
import { breakGlassNote, holdNote } from "./render-controls.js";
import { renderChangeLine, renderChangeWarning } from "./render-release-changes.js";
import { renderPolicyProblem, renderWhoMayDecide } from "./render-who-may-decide.js";

/**
 * Hidden in every notice: which check run (so which approval on which commit) it is about. A
 * redelivered notification finds it and posts nothing; a decision finds it and edits it.
 */
export function noticeMarker(checkRunId: number): string {
  return `<!-- codepipeline-approvals:notice check-run-${checkRunId} -->`;
}

/**
 * The PR comment for one approval: what waits, who may decide and how, then how it ended. GitHub
 * renders a comment's line breaks as they are, so every sentence stays on one line, and logins
 * are written so that they do not notify anyone.
 */
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
    const review = safeLink("review page", approval.externalEntityLink);
    const note = approval.customData
      ? `**Note from the pipeline**\n\n${quoteBlock(approval.customData)}`
      : "";
    return [
      noticeMarker(checkRun.id),
      `### ${said.icon} Waiting for approval: ${address}`,
      `CodePipeline is waiting for a decision on commit ${commit} before it continues: pipeline ${codeSpan(approval.pipelineName)}, stage ${codeSpan(approval.stageName)}, action ${codeSpan(approval.actionName)} (${accountLabel(approval) ? `AWS account ${accountLabel(approval)}, ` : ""}region ${codeSpan(approval.region)}). The approval expires at ${formatTime(approval.expiresAt)}.`,
      renderChangeLine(record.changes),
      renderChangeWarning(record.changes),
      // A hold (docs/controls.md): edited in and out when someone holds or unholds.
      holdNote(record.history),
      review ? `**Review link**: ${review}` : "",
      note,
      record.quorum
        ? renderWhoMayDecide(record.quorum)
        : record.policyProblem
          ? renderPolicyProblem(record.policyProblem)
          : "",
      [
        "**How to decide**",
        "",
        `- Open the ${checkRunLink} to see what changed, then click **Approve** or **Request changes**.`,
        `- Or comment \`/approve\` or \`/reject <reason>\` here; when several approvals wait, name this one: ${codeSpan(`/approve ${approvalAddress(approval)}`)}.`,
      ].join("\n"),
    ]
      .filter(Boolean)
      .join("\n\n");
  }

  const reason =
    record.resolution.kind === "decided" && record.resolution.reason
      ? `**Reason**\n\n${quoteBlock(record.resolution.reason)}`
      : "";
  return [
    noticeMarker(checkRun.id),
    `### ${said.icon} ${said.headline}: ${address}`,
    breakGlassNote(record.resolution),
    `${address} on commit ${commit} ${said.predicate}.`,
    reason,
    `The ${checkRunLink} keeps the audit trail.`,
  ]
    .filter(Boolean)
    .join("\n\n");
}
