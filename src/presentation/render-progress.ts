import { channelLabels } from "../approvals/approval.js";
import type { HistoryEntry, Quorum } from "../approvals/check-run-record.schema.js";
import type { TrackedApproval } from "../approvals/check-run-record.js";
import { escapeMarkdown, formatTime, quietMention } from "./escape-markdown.js";
import { tallyVotes, type Tally } from "../approvals/tally-votes.js";

/**
 * How a pending approval's quorum stands, from its audit trail: the distinct approvers so far
 * and the quorum the newest vote (or, before any vote, the policy) asked for.
 */
export function countApprovals(history: HistoryEntry[], quorum: Quorum | undefined) {
  const tally: Tally = tallyVotes(history);
  return { approvals: tally.approvals, required: tally.required ?? quorum?.required ?? 1 };
}

/**
 * "Approvals: 1 of 2" and who may still approve, once someone approved or when more than one
 * approval is needed; "Who may decide" (render-who-may-decide.ts) says the rest.
 */
export function progressOf({ record }: TrackedApproval): string {
  const quorum = record.quorum;
  const { approvals, required } = countApprovals(record.history, quorum);
  if (approvals.length === 0 && required <= 1) return "";
  const lines = [`**Approvals: ${approvals.length} of ${required}**`];
  if (approvals.length > 0) {
    lines[0] += ` — ${approvals
      .map(
        (vote) =>
          `${quietMention(vote.login)} (${channelLabels[vote.channel]}, ${formatTime(vote.at)})`,
      )
      .join(", ")}`;
  }
  const missing = required - approvals.length;
  if (quorum && missing > 0 && approvals.length > 0) {
    const who = describeEligible(
      quorum,
      approvals.map((vote) => vote.login),
    );
    lines.push(
      `**Still needed**: ${missing} more ${missing === 1 ? "approval" : "approvals"} from ${who}.`,
    );
  } else if (missing <= 0) {
    lines.push("The quorum is reached: the decision is on its way to CodePipeline.");
  }
  return lines.join("\n\n");
}

/** "@bob or a member of acme/release, with write permission or higher, not the change's authors" */
export function describeEligible(quorum: Quorum, alreadyApproved: string[]): string {
  const done = new Set(alreadyApproved.map((login) => login.toLowerCase()));
  const users = (quorum.users ?? []).filter((user) => !done.has(user.toLowerCase()));
  const teams = (quorum.teams ?? []).map((team) => `a member of ${escapeMarkdown(team)}`);
  const named = quorum.users || quorum.teams;
  const people = named
    ? [...users.map(quietMention), ...teams].join(" or ") || "nobody left on the list"
    : "anyone";
  const rules = [`with ${escapeMarkdown(quorum.minPermission)} permission or higher`];
  if (quorum.excludesAuthors) rules.push("not the change's authors");
  if (alreadyApproved.length > 0 && (!named || teams.length > 0)) {
    rules.push("not someone who already approved");
  }
  return `${people}, ${rules.join(", ")}`;
}
