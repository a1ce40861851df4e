import { channelLabels } from "../approvals/approval.js";
import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";

/**
 * One audit entry in words a reviewer uses, for the audit trail and the annotation log. The
 * record's own vocabulary (stale, counted, refused…) stays in the record; people read what was
 * asked and what came of it.
 */
export interface EntryWords {
  /** "@alice", or "CodePipeline" for what the pipeline reported. */
  who: string;
  /** "check run button", "PR comment", …, or "CodePipeline". */
  channel: string;
  /** "approve", "reject", or "" for a pipeline event. */
  asked: string;
  /** "approved", "counted toward the quorum", "refused", "already closed", … */
  outcome: string;
}

export function describeEntry(entry: HistoryEntry): EntryWords {
  const fromPipeline = entry.channel === "aws";
  return {
    who: fromPipeline ? entry.actor : `@${entry.actor}`,
    channel: entry.channel === "aws" ? "CodePipeline" : channelLabels[entry.channel],
    // CodePipeline reports what happened; nobody asked it anything.
    asked: fromPipeline
      ? ""
      : entry.verdict === "Approved"
        ? "approve"
        : entry.verdict === "Rejected"
          ? "reject"
          : "",
    outcome: outcomeOf(entry, fromPipeline),
  };
}

function outcomeOf(entry: HistoryEntry, fromPipeline: boolean): string {
  switch (entry.result) {
    case "approved":
      return fromPipeline ? "approved in CodePipeline" : "approved";
    case "rejected":
      return fromPipeline ? "rejected in CodePipeline" : "rejected";
    case "counted":
      return "counted toward the quorum";
    case "refused":
      return "refused";
    case "failed":
      return "not applied (error)";
    case "held":
      return "put on hold";
    case "unheld":
      return "hold lifted";
    case "stale":
      if (entry.closes) return closedAs(entry.closes);
      return fromPipeline ? "closed by CodePipeline" : "too late: already closed";
  }
}

function closedAs(resolution: Resolution): string {
  switch (resolution.kind) {
    case "expired":
      return "expired";
    case "superseded":
      return "superseded";
    case "gone":
      return `${resolution.what} gone`;
    case "decided-outside":
      return `already ${resolution.status.toLowerCase()}`;
    default:
      return "too late: already closed";
  }
}

/**
 * The annotation's title, as a sentence: "@alice approved", "@alice approved (counted toward the
 * quorum)", "@rita tried to approve: refused", "CodePipeline: closed by CodePipeline".
 */
export function entryTitle(entry: HistoryEntry): string {
  const words = describeEntry(entry);
  if (entry.channel === "aws") return `${words.who}: ${words.outcome}`;
  const did = entry.verdict === "Rejected" ? "rejected" : "approved";
  switch (entry.result) {
    case "approved":
    case "rejected":
      return `${words.who} ${entry.result}`;
    case "counted":
      return `${words.who} ${did} (${words.outcome})`;
    default:
      return `${words.who} tried to ${words.asked || "decide"}: ${words.outcome}`;
  }
}

/** The annotation's message: "via PR comment at 2026-11-28 12:00 UTC. <detail>" */
export function entryMessage(
  entry: HistoryEntry,
  when: string,
  detail: string | undefined,
): string {
  const words = describeEntry(entry);
  const via = entry.channel === "aws" ? "Reported by CodePipeline" : `Via ${words.channel}`;
  return `${via} at ${when}.${detail ? ` ${detail}` : ""}`;
}
