import { describe, expect, it } from "vitest";
import {
  awsSummaryLimit,
  isGitHubSummary,
  summarizeDecision,
} from "../../src/presentation/approval-summary.js";

describe("summarizeDecision with several approvers", () => {
  it("names every approver, grouped by the channel each used", () => {
    expect(
      summarizeDecision({
        verdict: "Approved",
        deciders: ["alice", "bob", "carol"],
        channel: "buttons",
        votes: [
          { login: "alice", channel: "buttons" },
          { login: "bob", channel: "pr_comments" },
          { login: "carol", channel: "buttons" },
        ],
      }),
    ).toBe("Approved via GitHub by @alice, @carol (check run button) and @bob (PR comment)");
  });

  it("gives up the reason before any approver, within 512 characters", () => {
    const logins = ["a".repeat(39), "b".repeat(39), "c".repeat(39)];
    const summary = summarizeDecision({
      verdict: "Approved",
      deciders: logins,
      channel: "buttons",
      reason: "r".repeat(1000),
    });
    expect(summary.length).toBe(awsSummaryLimit);
    for (const login of logins) expect(summary).toContain(`@${login}`);
    expect(summary.endsWith("…")).toBe(true);
  });

  it("says how many more approved when even the names do not fit", () => {
    const votes = Array.from({ length: 20 }, (_, i) => ({
      login: `${"x".repeat(36)}${String(i).padStart(3, "0")}`,
      channel: i % 2 ? ("buttons" as const) : ("commit_comments" as const),
    }));
    const summary = summarizeDecision({
      verdict: "Approved",
      deciders: votes.map((vote) => vote.login),
      channel: "buttons",
      votes,
    });
    expect(summary.length).toBeLessThanOrEqual(awsSummaryLimit);
    expect(summary).toMatch(/and \d+ more$/);
    expect(isGitHubSummary(summary)).toBe(true);
  });
});
