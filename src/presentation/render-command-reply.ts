import { approvalAddress, qualifiedAddress, type Verdict } from "../approvals/approval.js";
import type { CheckRunSnapshot } from "../approvals/check-run-record.js";
import type { DecisionOutcome } from "../approvals/decision-types.js";
import { codeSpan, escapeMarkdown, formatTime, safeLink } from "./escape-markdown.js";
import { reasonText } from "./reason-text.js";
import { describeResolution, people } from "./describe-resolution.js";
import type { CommandResult, DecisionAsk } from "../channels/decide-command.js";
import type { ApprovalOnCommit } from "../channels/find-approvals-on-commits.js";

export interface ReplyContext {
  /** Where the command was written, for "nothing is waiting on this …". */
  place: "pull request" | "commit";
  /** A review has no target, so its "several waiting" answer is worded differently. */
  source: "command" | "review";
}

/**
 * The answer to a command (or review), as markdown. Addresses are CodePipeline names
 * ([A-Za-z0-9.@\-_]) and targets are checked to the same characters, so both are safe in code
 * spans; reasons and messages are escaped.
 */
export function renderCommandReply(result: CommandResult, context: ReplyContext): string {
  switch (result.kind) {
    case "decision":
      return renderOutcome(result.outcome, result.approval);
    case "nothing-pending": {
      const head = `ℹ️ Nothing is waiting for a decision on this ${context.place}.`;
      if (!result.lastClosed) return head;
      const { tracked, checkRun } = result.lastClosed;
      const said = describeResolution(tracked.record.resolution);
      return `${head} The last approval here: ${address(result.lastClosed)} ${said.predicate}${linkTo(checkRun)}.`;
    }
    case "ambiguous": {
      const why = result.ask.target
        ? `${codeSpan(result.ask.target)} matches several approvals waiting here`
        : context.source === "review"
          ? "Several approvals are waiting here, so a review does not pick one"
          : `Several approvals are waiting here, so a bare ${codeSpan(verbOf(result.ask.verdict))} does not pick one`;
      return `🤔 ${why}. Comment one of these${reasonHint(result.ask)}:\n\n${commandList(result.ask, result.candidates)}`;
    }
    case "no-match":
      return `🤔 No approval waiting here matches ${codeSpan(result.target)}. Comment one of these${reasonHint(result.ask)}:\n\n${commandList(result.ask, result.candidates)}`;
  }
}

function renderOutcome(outcome: DecisionOutcome, approval: ApprovalOnCommit): string {
  const link = linkTo(approval.checkRun);
  switch (outcome.kind) {
    case "decided": {
      const said = describeResolution(outcome.tracked.record.resolution);
      return `${said.icon} ${address(approval)} ${said.predicate}; CodePipeline has the decision${link}.`;
    }
    case "counted":
      return `👍 Approval counted for ${address(approval)}: ${outcome.approvals.length} of ${outcome.required} so far (${people(outcome.approvals)})${link}.`;
    case "refused":
      return `🚫 Not applied: ${reasonText(outcome.reason)}. ${address(approval)} is still waiting for a decision${link}.`;
    case "closed":
      return `ℹ️ Nothing to decide: ${address(approval)} ${describeResolution(outcome.resolution).predicate}${link}.`;
    case "failed":
      return `⚠️ Not applied: ${escapeMarkdown(outcome.message)}${link}.`;
    case "not-an-approval":
      return "ℹ️ Nothing to decide: that check run no longer carries an approval.";
    case "not-applicable":
      return `ℹ️ Nothing new decided: ${escapeMarkdown(outcome.reason)}${link}.`;
  }
}

function commandList(ask: DecisionAsk, candidates: readonly ApprovalOnCommit[]): string {
  // The same address in two AWS accounts is named with its account, so each command decides one.
  const addresses = candidates.map((item) => approvalAddress(item.tracked.approval));
  const shared = (address: string) => addresses.indexOf(address) !== addresses.lastIndexOf(address);
  return candidates
    .map((item) => {
      const expires = formatTime(item.tracked.approval.expiresAt);
      const { approval } = item.tracked;
      const target = shared(approvalAddress(approval))
        ? qualifiedAddress(approval)
        : approvalAddress(approval);
      return `- ${codeSpan(`${verbOf(ask.verdict)} ${target}`)} (expires ${expires})${linkTo(item.checkRun)}`;
    })
    .join("\n");
}

function reasonHint(ask: DecisionAsk): string {
  return ask.reason ? ", followed by your reason" : "";
}

function verbOf(verdict: Verdict): string {
  return verdict === "Approved" ? "/approve" : "/reject";
}

function address({ tracked }: ApprovalOnCommit): string {
  return codeSpan(approvalAddress(tracked.approval));
}

function linkTo(checkRun: CheckRunSnapshot): string {
  const link = safeLink("check run", checkRun.html_url ?? undefined);
  return link ? ` (${link})` : "";
}
