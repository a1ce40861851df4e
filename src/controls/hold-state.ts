import type { HistoryEntry } from "../approvals/check-run-record.schema.js";

/** Whether an approval is on hold, and if so who held it, why and when. */
export type HoldState =
  { kind: "free" } | { kind: "held"; by: string; reason?: string | undefined; at: string };

/**
 * Pure: the hold an audit trail describes, read in the annotation log's order (the order GitHub
 * appended the entries). The last `held` or `unheld` entry decides, so two people holding and
 * unholding at once end in the state of whichever entry GitHub appended last, and the trail shows
 * both. Entries after the approval closed are ignored: a closed approval has nothing to hold.
 * See docs/controls.md, "Hold".
 */
export function holdStateOf(entries: readonly HistoryEntry[]): HoldState {
  let state: HoldState = { kind: "free" };
  for (const entry of entries) {
    if (entry.closes) break;
    if (entry.result === "held") {
      state = {
        kind: "held",
        by: entry.actor,
        ...(entry.detail ? { reason: entry.detail } : {}),
        at: entry.at,
      };
    } else if (entry.result === "unheld") {
      state = { kind: "free" };
    }
  }
  return state;
}
