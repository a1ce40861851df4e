import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { tallyVotes } from "../../src/approvals/tally-votes.js";

const start = Date.parse("2026-11-28T12:00:00Z");

/** A compact log: "alice" approves, "-carol" rejects, "!rita" is refused, "x" is a failure. */
function log(...items: (string | [string, { required?: number; seconds?: number }])[]) {
  return items.map((item, index): HistoryEntry => {
    const [text, options] = typeof item === "string" ? [item, {}] : item;
    const at = new Date(start + (options.seconds ?? index) * 1000).toISOString();
    const base = { id: `e${index}`, at, channel: "buttons" as const };
    if (text === "x") return { ...base, actor: "alice", result: "failed" };
    if (text.startsWith("-"))
      return { ...base, actor: text.slice(1), verdict: "Rejected", result: "rejected" };
    if (text.startsWith("!"))
      return { ...base, actor: text.slice(1), verdict: "Approved", result: "refused" };
    return {
      ...base,
      actor: text,
      verdict: "Approved",
      result: "counted",
      required: options.required ?? 2,
    };
  });
}

describe("tallyVotes (quorum 2 unless stated)", () => {
  it.each<[string, HistoryEntry[], string[], string[]]>([
    ["one approval is not enough", log("alice"), ["alice"], []],
    ["the second person leads", log("alice", "bob"), ["alice", "bob"], ["e1"]],
    ["the same person twice counts once", log("alice", "alice"), ["alice"], []],
    ["… whatever the case of the login", log("alice", "Alice"), ["alice"], []],
    [
      "a repeat does not lead, the next person does",
      log("alice", "alice", "bob"),
      ["alice", "bob"],
      ["e2"],
    ],
    [
      "only one leader when more approve",
      log("alice", "bob", "carol"),
      ["alice", "bob", "carol"],
      ["e1"],
    ],
    ["a refused attempt does not count", log("alice", "!rita", "bob"), ["alice", "bob"], ["e2"]],
    [
      "a failed answer lets the next vote retry",
      log("alice", "bob", "x", "carol"),
      ["alice", "bob", "carol"],
      ["e1", "e3"],
    ],
    [
      "even a repeat vote may retry after a failure",
      log("alice", "bob", "x", "bob"),
      ["alice", "bob"],
      ["e1", "e3"],
    ],
    [
      "a quorum raised between votes is respected",
      log(["alice", { required: 2 }], ["bob", { required: 3 }]),
      ["alice", "bob"],
      [],
    ],
    [
      "a quorum of three",
      log(["a", { required: 3 }], ["b", { required: 3 }], ["c", { required: 3 }]),
      ["a", "b", "c"],
      ["e2"],
    ],
  ])("%s", (_name, entries, approvals, leaders) => {
    const tally = tallyVotes(entries);
    expect(tally.approvals.map((vote) => vote.login)).toEqual(approvals);
    expect(tally.leaders.map((leader) => leader.id)).toEqual(leaders);
    expect(tally.closedBy).toBeUndefined();
  });

  it("gives the leader every approver up to its vote, for the summary", () => {
    const tally = tallyVotes(log("alice", "alice", "bob", "carol"));
    expect(tally.leaders[0]?.approvals.map((vote) => vote.login)).toEqual(["alice", "bob"]);
  });

  it("closes on a rejection during a partial quorum, and ignores what follows", () => {
    const tally = tallyVotes(log("alice", "-carol", "bob"));
    expect(tally.closedBy).toMatchObject({ actor: "carol", result: "rejected" });
    expect(tally.leaders).toEqual([]);
    expect(tally.approvals.map((vote) => vote.login)).toEqual(["alice"]);
  });

  it("lets a vote take over from a leader silent for longer than the timeout", () => {
    const entries = log(
      ["alice", { seconds: 0 }],
      ["bob", { seconds: 1 }],
      ["carol", { seconds: 200 }],
    );
    expect(tallyVotes(entries).leaders.map((l) => l.id)).toEqual(["e1", "e2"]);
    expect(tallyVotes(entries, { leaderTimeoutMs: 300_000 }).leaders.map((l) => l.id)).toEqual([
      "e1",
    ]);
  });

  it("needs only one approval when the quorum is one", () => {
    expect(tallyVotes(log(["alice", { required: 1 }])).leaders.map((l) => l.id)).toEqual(["e0"]);
  });
});
