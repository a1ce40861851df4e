import type { TrackedApproval } from "./check-run-record.js";

/**
 * Of two copies of one approval's record (what GitHub just sent, and what this process wrote last),
 * the one that knows more. A record only grows: audit entries are appended, and "pending" turns
 * into a resolution once and for all. So a closed copy beats a pending one (an approval closed by
 * the pipeline's own state must never be reopened by a stale copy), and otherwise the longer audit
 * trail wins. On a tie, GitHub's copy: it is the fresher read.
 */
export function newestRecord(
  fromGitHub: TrackedApproval,
  remembered: TrackedApproval | undefined,
): TrackedApproval {
  if (!remembered) return fromGitHub;
  const githubClosed = fromGitHub.record.resolution.kind !== "pending";
  const rememberedClosed = remembered.record.resolution.kind !== "pending";
  if (githubClosed !== rememberedClosed) return githubClosed ? fromGitHub : remembered;
  return remembered.record.history.length > fromGitHub.record.history.length
    ? remembered
    : fromGitHub;
}
