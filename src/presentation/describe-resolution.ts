import { channelLabels } from "../approvals/approval.js";
import type { Resolution } from "../approvals/check-run-record.schema.js";
import { escapeMarkdown, formatTime } from "./escape-markdown.js";

export interface ResolutionText {
  icon: string;
  /** A title: "Approved", "Expired", ... */
  headline: string;
  /** Completes "`pipeline/stage/action` …": "was approved by @alice via PR comment at …". */
  predicate: string;
}

/** How comments (the PR notice, command replies) word what happened to an approval. */
export function describeResolution(resolution: Resolution): ResolutionText {
  switch (resolution.kind) {
    case "pending":
      return {
        icon: "⏳",
        headline: "Waiting for approval",
        predicate: "is waiting for a decision",
      };
    case "decided": {
      const verb = resolution.status === "Approved" ? "approved" : "rejected";
      return {
        icon: resolution.status === "Approved" ? "✅" : "❌",
        headline: resolution.status,
        predicate: `was ${verb} by ${deciders(resolution)} at ${formatTime(resolution.at)}`,
      };
    }
    case "decided-outside": {
      const verb = resolution.status === "Approved" ? "approved" : "rejected";
      const where = resolution.viaGitHub
        ? "via GitHub"
        : "outside GitHub (AWS console, CLI or API)";
      const by = resolution.by ? ` by ${escapeMarkdown(resolution.by)}` : "";
      const at = resolution.at ? ` at ${formatTime(resolution.at)}` : "";
      return {
        icon: resolution.status === "Approved" ? "✅" : "❌",
        headline: resolution.status,
        predicate: `was ${verb} ${where}${by}${at}`,
      };
    }
    case "expired":
      return {
        icon: "⌛",
        headline: "Expired",
        predicate: `expired without a decision${resolution.at ? ` (${formatTime(resolution.at)})` : ""}`,
      };
    case "superseded":
      // Without a newer execution, CodePipeline only says it stopped waiting (stopped, abandoned
      // or the action ran again): the headline must not claim more.
      return resolution.byExecutionId
        ? {
            icon: "⏭️",
            headline: "Superseded",
            predicate: "was superseded by a newer pipeline execution",
          }
        : {
            icon: "⏭️",
            headline: "Closed without a decision",
            predicate: "can no longer be decided: CodePipeline stopped waiting for it",
          };
    case "gone":
      return {
        icon: "🚫",
        headline: "No longer in CodePipeline",
        predicate: `can no longer be decided: its ${resolution.what} no longer exists in CodePipeline`,
      };
  }
}

/**
 * Who decided and through which channel: a quorum names each approver's own channel, so nobody's
 * vote is credited to the channel the last vote came through.
 */
function deciders(resolution: Extract<Resolution, { kind: "decided" }>): string {
  const votes =
    resolution.votes && resolution.votes.length > 1
      ? resolution.votes
      : resolution.deciders.map((login) => ({ login, channel: resolution.channel }));
  if (votes.every((vote) => vote.channel === votes[0]?.channel)) {
    return `${people(votes.map((vote) => vote.login))} via ${channelLabels[votes[0]?.channel ?? resolution.channel]}`;
  }
  return votes.map((vote) => `${people([vote.login])} (${channelLabels[vote.channel]})`).join(", ");
}

/**
 * Logins as plain text: an escaped "@" shows the name without pinging the person again in a
 * thread they are already part of.
 */
export function people(logins: readonly string[]): string {
  return logins.map((login) => escapeMarkdown(`@${login}`)).join(", ");
}
