import { approvalAddress, channelLabels, checkRunName } from "../approvals/approval.js";
import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import {
  embedRecord,
  encodeExternalId,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
import type { CheckRunAnnotation } from "../approvals/vote-log.js";
import { describeEntry } from "./describe-entry.js";
import {
  codeSpan,
  escapeMarkdown,
  escapeOneLine,
  formatTime,
  quietMention,
  quoteBlock,
  safeLink,
  safeUrl,
} from "./escape-markdown.js";
import { clipText } from "./clip-text.js";
import { reasonText } from "./reason-text.js";
import { renderDetails } from "./render-details.js";
import { countApprovals, progressOf } from "./render-progress.js";
import { breakGlassNote, breakGlassPrefix, holdNote, holdTitle } from "./render-controls.js";
import {
  changeWarningTitle,
  renderChangeLine,
  renderChangeWarning,
  renderReleaseChanges,
} from "./render-release-changes.js";
import { renderPolicyProblem, renderWhoMayDecide } from "./render-who-may-decide.js";
import { renderDuplicate } from "./render-duplicate.js";

export type CheckRunConclusion =
  "action_required" | "success" | "failure" | "cancelled" | "timed_out" | "neutral";

/** Everything a create or update of the check run sends, minus the repository and commit. */
export interface CheckRunView {
  name: string;
  external_id: string;
  details_url?: string;
  status: "completed";
  conclusion: CheckRunConclusion;
  output: { title: string; summary: string; text: string; annotations?: CheckRunAnnotation[] };
  actions: { label: string; description: string; identifier: string }[];
}

/**
 * GitHub shows action buttons only on completed check runs, so a pending approval is a completed
 * run with `action_required`: https://docs.github.com/en/rest/checks/runs#create-a-check-run
 * Labels, descriptions and identifiers are capped at 20, 40 and 20 characters.
 */
export const decisionButtons = [
  { label: "Approve", description: "Approve this CodePipeline action", identifier: "approve" },
  {
    label: "Request changes",
    description: "Reject this CodePipeline action",
    identifier: "reject",
  },
] as const;

/** GitHub's limit for output.summary and output.text. */
const outputLimit = 65_535;

/**
 * The check run of one approval, from what its record holds. Pending, it answers what a reviewer
 * asks before deciding (what ships, who may decide, how); closed, it says once who decided, when,
 * through which channel and why, and drops what only mattered while pending. See
 * docs/reviewing.md for every state.
 */
export function renderCheckRun(tracked: TrackedApproval): CheckRunView {
  const { approval, record } = tracked;
  const resolution = record.resolution;
  if (resolution.kind === "superseded" && resolution.duplicateOf) return renderDuplicate(tracked);
  const pending = resolution.kind === "pending";
  const changes = record.changes;
  const detailsUrl = safeUrl(approval.approvalReviewLink);
  const text = [renderHistory(record.history), embedRecord(record)].join("\n\n");
  const sections = pending
    ? [
        renderChangeLine(changes),
        renderChangeWarning(changes),
        // The approval controls: docs/controls.md.
        holdNote(record.history),
        progressOf(tracked),
        changes ? renderReleaseChanges(changes, approval) : "",
        record.quorum
          ? renderWhoMayDecide(record.quorum)
          : record.policyProblem
            ? renderPolicyProblem(record.policyProblem)
            : "",
        howToDecide(tracked),
        renderDetails(approval, true),
      ]
    : [
        breakGlassNote(resolution),
        outcomeOf(resolution),
        renderChangeLine(changes),
        changes ? renderReleaseChanges(changes, approval) : "",
        renderDetails(approval, false),
      ];
  return {
    name: checkRunName(approval),
    external_id: encodeExternalId(approval),
    ...(detailsUrl?.startsWith("https://") ? { details_url: detailsUrl } : {}),
    status: "completed",
    conclusion: conclusionOf(resolution),
    output: {
      title: titleOf(tracked),
      summary: truncate(sections.filter(Boolean).join("\n\n")),
      text: fitText(text, record.history.length),
    },
    actions: pending ? decisionButtons.map((button) => ({ ...button })) : [],
  };
}

function conclusionOf(resolution: Resolution): CheckRunConclusion {
  switch (resolution.kind) {
    case "pending":
      return "action_required";
    case "decided":
    case "decided-outside":
      return resolution.status === "Approved" ? "success" : "failure";
    case "expired":
      return "timed_out";
    case "superseded":
      return "cancelled";
    case "gone":
      return "neutral";
  }
}

function titleOf({ record }: TrackedApproval): string {
  const resolution = record.resolution;
  switch (resolution.kind) {
    case "pending": {
      const held = holdTitle(record.history);
      if (held) return held;
      const { approvals, required } = countApprovals(record.history, record.quorum);
      // The title is plain text, never markdown: no escaping, and GitHub finds no mention in it.
      const waiting =
        approvals.length > 0
          ? `${approvals.length} of ${required} approvals: ${approvals.map((v) => `@${v.login}`).join(", ")}`
          : required > 1
            ? `Waiting for ${required} approvals`
            : "Waiting for approval";
      const warning = changeWarningTitle(record.changes);
      const blocked =
        record.policyProblem?.kind === "invalid" && !record.quorum
          ? `${waiting} · policy file invalid, every decision refused`
          : waiting;
      return warning ? `${warning} · ${blocked}` : blocked;
    }
    case "decided":
      return `${breakGlassPrefix(resolution)}${resolution.status} by ${resolution.deciders.map((login) => `@${login}`).join(", ")}`;
    case "decided-outside":
      return `${resolution.status} ${resolution.viaGitHub ? "via GitHub" : "outside GitHub"}`;
    case "expired":
      return "Expired without a decision";
    case "superseded":
      return resolution.byExecutionId
        ? "Superseded by a newer pipeline execution"
        : "Closed without a decision";
    case "gone":
      return `The ${resolution.what} no longer exists`;
  }
}

/** One sentence: who decided, through which channel, when; then why. The title says what. */
function outcomeOf(resolution: Resolution): string {
  switch (resolution.kind) {
    case "pending":
      return "";
    case "decided": {
      const icon = resolution.status === "Approved" ? "✅" : "❌";
      const verb = resolution.status === "Approved" ? "approved" : "rejected";
      const who =
        resolution.votes && resolution.votes.length > 1
          ? `${andList(resolution.votes.map((vote) => `${quietMention(vote.login)} (${channelLabels[vote.channel]})`))} ${verb} this`
          : `${andList(resolution.deciders.map(quietMention))} ${verb} this through a ${channelLabels[resolution.channel]}`;
      const reason = resolution.reason ? `\n\n**Reason**\n\n${quoteBlock(resolution.reason)}` : "";
      return `${icon} ${who} at ${formatTime(resolution.at)}.${reason}`;
    }
    case "decided-outside": {
      const icon = resolution.status === "Approved" ? "✅" : "❌";
      const verb = resolution.status === "Approved" ? "Approved" : "Rejected";
      const where = resolution.viaGitHub
        ? "through GitHub"
        : "outside GitHub (AWS console, CLI or API)";
      const by = resolution.by ? ` by ${escapeMarkdown(resolution.by)}` : "";
      const at = resolution.at ? ` at ${formatTime(resolution.at)}` : "";
      const summary = resolution.summary
        ? `\n\n**CodePipeline's summary**\n\n${quoteBlock(resolution.summary)}`
        : "";
      return `${icon} ${verb} ${where}${by}${at}.${summary}`;
    }
    case "expired":
      return `⌛ Nobody decided before the approval timed out${resolution.at ? ` (${formatTime(resolution.at)})` : ""}. The pipeline execution failed at this action.`;
    case "superseded":
      // Without a newer execution's id, CodePipeline said only that it stopped waiting: the
      // execution was stopped or abandoned, superseded, or the stage ran the action again.
      return resolution.byExecutionId
        ? `⏭️ A newer pipeline execution (${codeSpan(resolution.byExecutionId)}) replaced this one, so this approval can no longer be decided.`
        : "⏭️ CodePipeline no longer waits for this approval (the pipeline execution was stopped, abandoned or superseded, or the action ran again), so it can no longer be decided.";
    case "gone":
      return `🚫 Nothing to decide: the ${resolution.what} no longer exists in CodePipeline${resolution.detail ? ` (${escapeMarkdown(resolution.detail)})` : ""}.`;
  }
}

/** "a", "a and b", "a, b and c" */
function andList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function howToDecide(tracked: TrackedApproval): string {
  const address = approvalAddress(tracked.approval);
  const console = safeLink("AWS console", tracked.approval.approvalReviewLink);
  return [
    "**How to decide**",
    "",
    "- Click **Approve** or **Request changes** at the top of this check run.",
    `- Or comment \`/approve\` or \`/reject <reason>\` on the pull request or commit; when several approvals wait there, name this one: ${codeSpan(`/approve ${address}`)}.`,
    ...(console ? [`- Or use the ${console}.`] : []),
  ].join("\n");
}

function renderHistory(history: HistoryEntry[]): string {
  if (history.length === 0) return "**Audit trail**: no decision attempted yet.";
  const rows = history.map((entry) => {
    const words = describeEntry(entry);
    // Logins and the pipeline's own words alike: no mention, no markup.
    const who = escapeOneLine(words.who);
    const detail = entry.detail ? tableCell(entry.detail) : "";
    return `| ${formatTime(entry.at)} | ${who} | ${words.channel} | ${words.asked} | ${words.outcome} | ${detail} |`;
  });
  return [
    "**Audit trail**",
    "",
    "| When | Who | Channel | Asked to | Outcome | Detail |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** Untrusted detail on one table row: commands as code spans, a pipe never ends the cell. */
function tableCell(text: string): string {
  return reasonText(text.replace(/\r\n?|\n/g, " ")).replace(/(?<!\\)\|/g, "\\|");
}

function truncate(text: string): string {
  return clipText(text, outputLimit, "\n\n… (truncated)");
}

/** The hidden record must survive whole; the visible history gives way first. */
function fitText(text: string, entries: number): string {
  if (text.length <= outputLimit) return text;
  return text.replace(
    /\*\*Audit trail\*\*[\s\S]*?(?=<!--)/,
    `**Audit trail**: ${entries} entries (too long to show).\n\n`,
  );
}
