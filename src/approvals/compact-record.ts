import type { CheckRunRecord, HistoryEntry } from "./check-run-record.schema.js";
import { sameAccount } from "./same-account.js";

/** Refusals (and failed attempts) kept in the record: the latest few, the rest counted. */
export const keptPerKind = 5;

/**
 * The record as the check run can carry it: GitHub refuses an `output.text` past 65,535
 * characters, and anyone can add a refusal. Every decision, closing entry and first vote of each
 * account stays; refusals and failed attempts beyond the latest `keep` of each, and repeated votes
 * of an account already counted, are dropped and counted in `omitted`. So the record grows with
 * the number of distinct approvers, never with the number of commands. The annotation log, which
 * the quorum is counted from, keeps every entry.
 */
export function compactRecord(record: CheckRunRecord, keep = keptPerKind): CheckRunRecord {
  const history = record.history;
  const refusedAt = indexesOf(history, "refused");
  const failedAt = indexesOf(history, "failed");
  const dropRefused = new Set(refusedAt.slice(0, Math.max(0, refusedAt.length - keep)));
  const dropFailed = new Set(failedAt.slice(0, Math.max(0, failedAt.length - keep)));
  const voters: { login: string; id?: number | undefined }[] = [];
  let repeated = 0;
  const kept = history.filter((entry, index) => {
    if (dropRefused.has(index) || dropFailed.has(index)) return false;
    if (entry.result !== "counted") return true;
    const voter = { login: entry.actor, id: entry.actorId };
    if (voters.some((known) => sameAccount(known, voter))) {
      repeated += 1;
      return false;
    }
    voters.push(voter);
    return true;
  });
  if (kept.length === history.length) return record;
  const before = record.omitted ?? { refused: 0, failed: 0, repeated: 0 };
  return {
    ...record,
    history: kept,
    omitted: {
      refused: before.refused + dropRefused.size,
      failed: before.failed + dropFailed.size,
      repeated: before.repeated + repeated,
    },
  };
}

function indexesOf(history: readonly HistoryEntry[], result: HistoryEntry["result"]): number[] {
  return history.flatMap((entry, index) => (entry.result === result ? [index] : []));
}
