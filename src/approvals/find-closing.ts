import type { HistoryEntry, Resolution } from "./check-run-record.schema.js";

/**
 * The resolution the log says closed the approval: the first entry that carries one. Every closer
 * (the decision path, the lifecycle) appends its closing entry in the same PATCH that shows the
 * closed view, so a log that holds one proves the approval closed, whatever the view shows now.
 */
export function findClosing(entries: readonly HistoryEntry[]): Resolution | undefined {
  for (const entry of entries) {
    if (entry.closes && entry.closes.kind !== "pending") return entry.closes;
  }
  return undefined;
}
