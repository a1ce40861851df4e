import type { Channel } from "./approval.js";
import type { HistoryEntry } from "./check-run-record.schema.js";
import { sameAccount } from "./same-account.js";

export interface Vote {
  login: string;
  /** The account; absent for votes logged before ids were kept. */
  id?: number | undefined;
  channel: Channel;
  at: string;
}

export interface Tally {
  /** Distinct approvers in log order, each with their first vote. */
  approvals: Vote[];
  /** The quorum the newest vote was counted against. */
  required: number | undefined;
  /** The entries that must answer CodePipeline, with the approvals that count for each. */
  leaders: { id: string; approvals: Vote[] }[];
  /** The entry that closed the approval (a decision recorded, or found already made). */
  closedBy: HistoryEntry | undefined;
}

/** A leader that has said nothing for this long is presumed gone; the next vote takes over. */
export const defaultLeaderTimeoutMs = 2 * 60_000;

/**
 * Pure: counts a log of entries in the order GitHub lists them. Every replica that reads the same
 * log picks the same leader: the vote at which the number of distinct approvers first reaches the
 * quorum that vote was counted against. Only that vote's process calls PutApprovalResult.
 *
 * - The same account approving twice counts once, under any login (see same-account.ts).
 * - A `failed` entry after a leader (its PutApprovalResult failed, or a vote could not be
 *   confirmed) re-arms the election: the next vote leads, so a retry is possible.
 * - A leader silent for `leaderTimeoutMs` (by the entries' own timestamps) is presumed to have
 *   crashed; the next vote leads. If it had answered after all, CodePipeline refuses the second
 *   answer (ApprovalAlreadyCompletedException) and the check run shows what happened.
 * - Entries after the approval closed are ignored.
 */
export function tallyVotes(
  entries: readonly HistoryEntry[],
  { leaderTimeoutMs = defaultLeaderTimeoutMs } = {},
): Tally {
  const approvals: Vote[] = [];
  const leaders: Tally["leaders"] = [];
  let required: number | undefined;
  let armed = true;
  let leaderAt = Number.NaN;

  for (const entry of entries) {
    if (entry.result === "approved" || entry.result === "rejected" || entry.result === "stale") {
      return { approvals, required, leaders, closedBy: entry };
    }
    if (entry.result === "failed") {
      armed = true;
      continue;
    }
    if (entry.result !== "counted" || entry.channel === "aws") continue;
    const voter = { login: entry.actor, id: entry.actorId };
    if (!approvals.some((vote) => sameAccount(vote, voter))) {
      approvals.push({
        login: entry.actor,
        ...(entry.actorId !== undefined ? { id: entry.actorId } : {}),
        channel: entry.channel,
        at: entry.at,
      });
    }
    required = entry.required ?? required;
    const at = Date.parse(entry.at);
    const leaderSilent = at - leaderAt > leaderTimeoutMs;
    if ((armed || leaderSilent) && entry.id && approvals.length >= (entry.required ?? 1)) {
      leaders.push({ id: entry.id, approvals: [...approvals] });
      armed = false;
      leaderAt = at;
    }
  }
  return { approvals, required, leaders, closedBy: undefined };
}
