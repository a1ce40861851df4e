import { approvalAddress } from "../approvals/approval.js";
import type { CheckRunSnapshot } from "../approvals/check-run-record.js";
import type { ControlAsk } from "../controls/control-types.js";
import type { ControlResult } from "../controls/decide-control.js";
import type { ApprovalOnCommit } from "../channels/find-approvals-on-commits.js";
import { describeResolution } from "./describe-resolution.js";
import { escapeMarkdown, formatTime, safeLink } from "./escape-markdown.js";
import type { ReplyContext } from "./render-command-reply.js";

/**
 * The answer to `/hold` or `/unhold`, as markdown (docs/controls.md). Reasons and messages are
 * people's text and are escaped; addresses are CodePipeline names, safe in code spans.
 */
export function renderControlReply(result: ControlResult, context: ReplyContext): string {
  const verb = `/${result.ask.control}`;
  switch (result.kind) {
    case "control":
      return renderOutcome(result);
    case "nothing-pending": {
      const head = `ℹ️ Nothing is waiting for a decision on this ${context.place}, so there is nothing to ${result.ask.control}.`;
      if (!result.lastClosed) return head;
      const said = describeResolution(result.lastClosed.tracked.record.resolution);
      return `${head} The last approval here: ${address(result.lastClosed)} ${said.predicate}${linkTo(result.lastClosed.checkRun)}.`;
    }
    case "ambiguous":
      return `🤔 ${result.ask.target ? `\`${result.ask.target}\` matches several approvals waiting here` : `Several approvals are waiting here, so a bare \`${verb}\` does not pick one`}. Comment one of these:\n\n${commandList(result.ask, result.candidates)}`;
    case "no-match":
      return `🤔 No approval waiting here matches \`${result.target}\`. Comment one of these:\n\n${commandList(result.ask, result.candidates)}`;
  }
}

function renderOutcome(result: Extract<ControlResult, { kind: "control" }>): string {
  const { outcome, approval } = result;
  const link = linkTo(approval.checkRun);
  const where = address(approval);
  switch (outcome.kind) {
    case "held":
      return `⏸️ ${where} is on hold${outcome.hold.reason ? `: ${escapeMarkdown(outcome.hold.reason)}` : ""}. Approvals are refused until \`/unhold\`; a rejection is still possible${link}.`;
    case "unheld":
      return `▶️ The hold on ${where} (by @${outcome.was.by}) is lifted: it can be approved again${link}.`;
    case "unchanged":
      return outcome.hold.kind === "held"
        ? `ℹ️ ${where} is already on hold by @${outcome.hold.by} since ${formatTime(outcome.hold.at)}${link}.`
        : `ℹ️ ${where} is not on hold${link}.`;
    case "refused":
      return `🚫 Not applied: ${escapeMarkdown(outcome.reason)}${link}.`;
    case "closed":
      return `ℹ️ Nothing to ${result.ask.control}: ${where} ${describeResolution(outcome.resolution).predicate}${link}.`;
    case "failed":
      return `⚠️ Not applied: ${escapeMarkdown(outcome.message)}${link}.`;
    case "not-an-approval":
      return "ℹ️ Nothing to hold: that check run no longer carries an approval.";
  }
}

function commandList(ask: ControlAsk, candidates: readonly ApprovalOnCommit[]): string {
  return candidates
    .map(
      (item) =>
        `- \`/${ask.control} ${approvalAddress(item.tracked.approval)}\`${linkTo(item.checkRun)}`,
    )
    .join("\n");
}

function address({ tracked }: ApprovalOnCommit): string {
  return `\`${approvalAddress(tracked.approval)}\``;
}

function linkTo(checkRun: CheckRunSnapshot): string {
  const link = safeLink("check run", checkRun.html_url ?? undefined);
  return link ? ` (${link})` : "";
}
