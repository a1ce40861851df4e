import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { holdStateOf, type HoldState } from "../../src/controls/hold-state.js";

const people = ["alice", "bob", "carol"] as const;

/** Any audit trail: holds, unholds, votes, refusals and, somewhere, perhaps the closing entry. */
const entryArb: fc.Arbitrary<HistoryEntry> = fc
  .record({
    actor: fc.constantFrom(...people),
    result: fc.constantFrom("held", "unheld", "counted", "refused", "failed", "approved"),
    detail: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    minute: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ actor, result, detail, minute }) => ({
    id: `${actor}-${result}-${minute}`,
    at: `2026-11-28T11:${String(minute).padStart(2, "0")}:00.000Z`,
    actor,
    channel: "pr_comments" as const,
    result,
    ...(detail ? { detail } : {}),
    ...(result === "approved"
      ? {
          closes: {
            kind: "decided" as const,
            status: "Approved" as const,
            deciders: [actor],
            channel: "pr_comments" as const,
            at: "2026-11-28T12:00:00.000Z",
          },
        }
      : {}),
  }));

/** The rule, stated as directly as possible: the last hold or unhold before the log closed. */
function expected(entries: readonly HistoryEntry[]): HoldState {
  const open = entries.slice(
    0,
    entries.findIndex((entry) => entry.closes) >= 0
      ? entries.findIndex((entry) => entry.closes)
      : entries.length,
  );
  const last = open.filter((entry) => entry.result === "held" || entry.result === "unheld").at(-1);
  if (!last || last.result === "unheld") return { kind: "free" };
  return {
    kind: "held",
    by: last.actor,
    ...(last.detail ? { reason: last.detail } : {}),
    at: last.at,
  };
}

/** A plausible mistake: the first hold wins over later ones. */
function firstHoldWins(entries: readonly HistoryEntry[]): HoldState {
  let state: HoldState = { kind: "free" };
  for (const entry of entries) {
    if (entry.closes) break;
    if (entry.result === "held" && state.kind === "free") {
      state = {
        kind: "held",
        by: entry.actor,
        ...(entry.detail ? { reason: entry.detail } : {}),
        at: entry.at,
      };
    } else if (entry.result === "unheld") state = { kind: "free" };
  }
  return state;
}

const logs = fc.array(entryArb, { maxLength: 12 });
const agreesWithRule = (check: (entries: HistoryEntry[]) => HoldState) =>
  fc.property(logs, (entries) => {
    expect(check(entries)).toEqual(expected(entries));
  });

describe("holdStateOf: the annotation log's order decides", () => {
  it("is the last hold or unhold before the approval closed, for any log", () => {
    fc.assert(agreesWithRule(holdStateOf), { numRuns: 500 });
  });

  it("the property catches a variant where the first of two holds wins", () => {
    expect(() =>
      fc.assert(agreesWithRule(firstHoldWins), { numRuns: 500, seed: 20261206 }),
    ).toThrow();
  });

  it("ignores a hold written after the approval closed", () => {
    const base = { channel: "pr_comments" as const, at: "2026-11-28T12:00:00.000Z" };
    const closing: HistoryEntry = {
      ...base,
      id: "expired",
      actor: "CodePipeline",
      result: "stale",
      closes: { kind: "expired" },
    };
    const held: HistoryEntry = { ...base, id: "late", actor: "carol", result: "held" };
    expect(holdStateOf([held])).toMatchObject({ kind: "held", by: "carol" });
    expect(holdStateOf([closing, held])).toEqual({ kind: "free" });
  });
});
