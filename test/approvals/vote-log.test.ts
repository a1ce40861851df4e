import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { mergeHistory, readVoteLog, voteAnnotation } from "../../src/approvals/vote-log.js";

const vote: HistoryEntry = {
  id: "v1",
  at: "2026-11-28T12:00:00.000Z",
  actor: "alice",
  channel: "pr_comments",
  verdict: "Approved",
  result: "counted",
  required: 2,
  detail: "counts toward 2 approvals",
};

describe("the annotation log", () => {
  it("writes one entry as one annotation that says who, when, how and what came of it", () => {
    expect(voteAnnotation(vote)).toMatchObject({
      path: ".github",
      start_line: 1,
      end_line: 1,
      annotation_level: "notice",
      title: "@alice approved (counted toward the quorum)",
      message: "Via PR comment at 2026-11-28 12:00 UTC. counts toward 2 approvals",
    });
  });

  it.each([
    ["rejected", "failure"],
    ["refused", "warning"],
    ["failed", "warning"],
  ] as const)("marks a %s entry as %s", (result, level) => {
    expect(voteAnnotation({ ...vote, result }).annotation_level).toBe(level);
  });

  it("reads entries back in order and skips annotations it did not write", () => {
    const second = { ...vote, id: "v2", actor: "bob" };
    const annotations = [
      voteAnnotation(vote),
      { raw_details: "lint: unused variable" },
      { raw_details: null },
      { raw_details: "codepipeline-approvals:entry {not json" },
      voteAnnotation(second),
    ];
    expect(readVoteLog(annotations)).toEqual([vote, second]);
  });

  it("keeps a long reason within the annotation's limits", () => {
    const annotation = voteAnnotation({ ...vote, detail: "x".repeat(100_000) });
    expect(annotation.raw_details.length).toBeLessThan(65_535);
    expect(annotation.message.length).toBeLessThan(65_535);
  });

  it("merges the log into the audit trail: old entries first, the log's order, then unseen writes", () => {
    const { id: _noId, ...legacy } = { ...vote, actor: "old" };
    const mine = { ...vote, id: "mine", actor: "me" };
    const other = { ...vote, id: "other", actor: "them" };
    expect(mergeHistory([legacy, mine], [other]).map((entry) => entry.actor)).toEqual([
      "old",
      "them",
      "me",
    ]);
    expect(mergeHistory([legacy, mine], [mine, other]).map((entry) => entry.actor)).toEqual([
      "old",
      "me",
      "them",
    ]);
  });
});
