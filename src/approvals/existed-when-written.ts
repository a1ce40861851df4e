import type { CheckRunSnapshot } from "./check-run-record.js";
import type { CommandSource } from "./decision-types.js";

/**
 * Whether an approval's check run existed when a comment or review was written: a command decides
 * only what its author could have meant. A redelivered `/approve` (GitHub redelivers failed
 * deliveries; an admin can redeliver by hand) must not decide an approval that appeared on the
 * commit after it was written. GitHub sets `started_at` when the run is created (this app never
 * sends it), on the same clock as the comment's `created_at`; both have second precision, so a
 * run created in the same second counts as existing. A run without `started_at` (none GitHub
 * sends) or an unreadable time is not trusted to have existed.
 */
export function existedWhenWritten(
  checkRun: Pick<CheckRunSnapshot, "started_at">,
  source: CommandSource,
): boolean {
  const created = Date.parse(checkRun.started_at ?? "");
  const written = Date.parse(source.writtenAt);
  if (Number.isNaN(created) || Number.isNaN(written)) return false;
  return created <= written;
}
