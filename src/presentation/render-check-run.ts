import { approvalAddress, channelLabels, checkRunName } from "../approvals/approval.js";
import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import {
  embedRecord,
  encodeExternalId,
  type TrackedApproval,
} from "../approvals/check-run-record.js";
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
import { countApprovals, progressOf } from "./render-progress.js";
import { accountLabel } from "./account-label.js";
import { breakGlassNote, breakGlassPrefix, holdNote, holdTitle } from "./render-controls.js";
import { renderDuplicate } from "./render-duplicate.js";
import type { CheckRunAnnotation } from "../approvals/vote-log.js";

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

export function renderCheckRun(tracked: TrackedApproval): CheckRunView {
  const { approval, record } = tracked;
  const resolution = record.resolution;
  if (resolution.kind === "superseded" && resolution.duplicateOf) return renderDuplicate(tracked);
  const pending = resolution.kind === "pending";
  const detailsUrl = safeUrl(approval.approvalReviewLink);
  const text = [renderHistory(record.history), embedRecord(record)].join("\n\n");
  return {
    name: checkRunName(approval),
    external_id: encodeExternalId(approval),
    ...(detailsUrl?.startsWith("https://") ? { details_url: detailsUrl } : {}),
    status: "completed",
    conclusion: conclusionOf(resolution),
    output: {
      title: titleOf(tracked),
      summary: truncate(
        [
          outcomeOf(resolution),
          // The approval controls: docs/controls.md.
          pending ? holdNote(record.history) : breakGlassNote(resolution),
          pending ? progressOf(tracked) : "",
          detailsOf(tracked),
          pending ? howToDecide(tracked) : "",
        ]
          .filter(Boolean)
          .join("\n\n"),
      ),
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
      if (approvals.length === 0) {
        return required > 1 ? `Waiting for ${required} approvals` : "Waiting for approval";
      }
      // The title is plain text, never markdown: no escaping, and GitHub finds no mention in it.
      return `${approvals.length} of ${required} approvals: ${approvals.map((v) => `@${v.login}`).join(", ")}`;
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

function outcomeOf(resolution: Resolution): string {
  switch (resolution.kind) {
    case "pending":
      return "";
    case "decided": {
      const verb = resolution.status === "Approved" ? "approved" : "rejected";
      const reason = resolution.reason ? `\n\n**Reason**\n\n${quoteBlock(resolution.reason)}` : "";
      const who =
        resolution.votes && resolution.votes.length > 1
          ? resolution.votes
              .map((vote) => `${quietMention(vote.login)} (${channelLabels[vote.channel]})`)
              .join(", ")
          : `${mentions(resolution.deciders)} via ${channelLabels[resolution.channel]}`;
      return `**${resolution.status}** — ${verb} by ${who} at ${formatTime(resolution.at)}.${reason}`;
    }
    case "decided-outside": {
      const by = resolution.by ? ` by ${escapeMarkdown(resolution.by)}` : "";
      const at = resolution.at ? ` at ${formatTime(resolution.at)}` : "";
      const summary = resolution.summary ? `\n\n${quoteBlock(resolution.summary)}` : "";
      const where = resolution.viaGitHub ? "via GitHub" : "outside GitHub";
      const how = resolution.viaGitHub ? "" : " (AWS console, CLI or API)";
      return `**${resolution.status} ${where}**${by}${at}${how}.${summary}`;
    }
    case "expired":
      return `**Expired**: nobody decided before the approval timed out${resolution.at ? ` (${formatTime(resolution.at)})` : ""}. The pipeline execution failed at this action.`;
    case "superseded":
      // Without a newer execution's id, CodePipeline said only that it stopped waiting: the
      // execution was stopped or abandoned, superseded, or the stage ran the action again.
      return resolution.byExecutionId
        ? `**Superseded**: a newer pipeline execution (${codeSpan(resolution.byExecutionId)}) replaced this one, so this approval can no longer be decided.`
        : "**Closed without a decision**: CodePipeline no longer waits for this approval (the pipeline execution was stopped, abandoned or superseded, or the action ran again), so it can no longer be decided.";
    case "gone":
      return `**Nothing to decide**: the ${resolution.what} no longer exists in CodePipeline${resolution.detail ? ` (${escapeMarkdown(resolution.detail)})` : ""}.`;
  }
}

function mentions(logins: string[]): string {
  return logins.map(quietMention).join(", ");
}

function detailsOf({ approval }: TrackedApproval): string {
  const rows: [string, string][] = [
    ["Pipeline", codeSpan(approval.pipelineName)],
    ["Stage", codeSpan(approval.stageName)],
    ["Action", codeSpan(approval.actionName)],
    ["Region", codeSpan(approval.region)],
    ["Execution", codeSpan(approval.executionId)],
    ["Expires", formatTime(approval.expiresAt)],
  ];
  const account = accountLabel(approval);
  if (account) rows.splice(3, 0, ["AWS account", account]);
  const entity = safeLink("Open", approval.externalEntityLink);
  if (entity) rows.push(["Review link", entity]);
  const table = ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
  const custom = approval.customData
    ? `\n\n**Note from the pipeline**\n\n${quoteBlock(approval.customData)}`
    : "";
  return table + custom;
}

function howToDecide(tracked: TrackedApproval): string {
  const address = approvalAddress(tracked.approval);
  const console = safeLink("AWS console", tracked.approval.approvalReviewLink);
  return [
    "**How to decide**",
    "",
    "- Click **Approve** or **Request changes** at the top of this check run, or",
    "- comment `/approve` or `/reject <reason>` on the pull request or commit",
    `  (with several approvals waiting: ${codeSpan(`/approve ${address}`)})${console ? `, or\n- use the ${console}` : ""}.`,
  ].join("\n");
}

function renderHistory(history: HistoryEntry[]): string {
  if (history.length === 0) return "No decisions attempted yet.";
  const rows = history.map((entry) => {
    // Entries from the pipeline's own state name CodePipeline, which is no GitHub account.
    const [who, channel] =
      entry.channel === "aws"
        ? [escapeOneLine(entry.actor), "CodePipeline"]
        : [escapeOneLine(`@${entry.actor}`), channelLabels[entry.channel]];
    const detail = entry.detail ? escapeOneLine(entry.detail) : "";
    return `| ${formatTime(entry.at)} | ${who} | ${channel} | ${entry.verdict ?? ""} | ${entry.result} | ${detail} |`;
  });
  return [
    "**Audit trail**",
    "",
    "| When | Who | Channel | Asked | Outcome | Detail |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
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
