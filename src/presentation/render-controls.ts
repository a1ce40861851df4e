import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import { holdStateOf, type HoldState } from "../controls/hold-state.js";
import { formatTime, quietMention, quoteBlock } from "./escape-markdown.js";

/**
 * How the approval controls (docs/controls.md) show on the check run and the PR notice: a hold
 * on a pending approval, and a break-glass approval. Reasons are people's text: quoted and
 * escaped, never markup.
 */

/** The refusal an approval gets while held; plain text, escaped where it is shown. */
export function holdRefusal(hold: Extract<HoldState, { kind: "held" }>): string {
  return `on hold by @${hold.by}${hold.reason ? `: ${hold.reason}` : ""}`;
}

/** The check run's title while held, or undefined when it is not. */
export function holdTitle(history: readonly HistoryEntry[]): string | undefined {
  const hold = holdStateOf(history);
  return hold.kind === "held" ? `On hold by @${hold.by}` : undefined;
}

/** A paragraph for the check run's summary and the notice while held; empty when not. */
export function holdNote(history: readonly HistoryEntry[]): string {
  const hold = holdStateOf(history);
  if (hold.kind !== "held") return "";
  const reason = hold.reason ? `\n\n${quoteBlock(hold.reason)}` : "";
  return `⏸️ **On hold** by ${quietMention(hold.by)} since ${formatTime(hold.at)}: approvals are refused until someone comments \`/unhold\` (the person who held it, or anyone who may approve). A rejection is still possible.${reason}`;
}

/** "BREAK-GLASS: " before the title of an approval decided through break-glass. */
export function breakGlassPrefix(resolution: Resolution): string {
  return resolution.kind === "decided" && resolution.breakGlass ? "BREAK-GLASS: " : "";
}

/**
 * A loud paragraph for a break-glass approval, before the decision's own sentence (which gives the
 * reason once); empty for any other resolution.
 */
export function breakGlassNote(resolution: Resolution): string {
  if (resolution.kind !== "decided" || !resolution.breakGlass) return "";
  return `🚨 **BREAK-GLASS**: approved alone by ${resolution.deciders.map(quietMention).join(", ")}, bypassing the required approvals, \`prevent_self_approval\` and any hold.`;
}
