import { describe, expect, it } from "vitest";
import type {
  CheckRunRecord,
  HistoryEntry,
  Quorum,
} from "../../src/approvals/check-run-record.schema.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { renderCheckRun } from "../../src/presentation/render-check-run.js";
import { describeEligible } from "../../src/presentation/render-progress.js";
import { pendingApproval } from "../fixtures/github.js";

const quorum: Quorum = {
  required: 2,
  minPermission: "write",
  users: ["alice", "bob"],
  teams: ["acme/release"],
  excludesAuthors: true,
};

function approvedBy(actor: string, channel: HistoryEntry["channel"] = "buttons"): HistoryEntry {
  return {
    id: `id-${actor}`,
    at: "2026-11-28T12:00:00.000Z",
    actor,
    channel,
    verdict: "Approved",
    result: "counted",
    required: 2,
  };
}

function render(record: Partial<CheckRunRecord>) {
  return renderCheckRun({
    approval: pendingApproval,
    record: { ...newRecord(pendingApproval), ...record },
  });
}

describe("rendering a quorum in progress", () => {
  it("titles the check run with the progress and the approvers so far", () => {
    const view = render({ quorum, history: [approvedBy("alice")] });
    expect(view.output.title).toBe("1 of 2 approvals: @alice");
    expect(view.conclusion).toBe("action_required");
    expect(view.actions).toHaveLength(2);
  });

  it("counts the same person once", () => {
    expect(
      render({ quorum, history: [approvedBy("alice"), approvedBy("alice")] }).output.title,
    ).toBe("1 of 2 approvals: @alice");
  });

  it("says who may still approve, leaving out who already did", () => {
    const { summary } = render({ quorum, history: [approvedBy("alice")] }).output;
    expect(summary).toContain(
      "**Approvals: 1 of 2** — @\u200dalice (check run button, 2026-11-28 12:00 UTC)",
    );
    expect(summary).toContain(
      "**Still needed**: 1 more approval from @\u200dbob or a member of acme/release, with write permission or higher, not the change's authors, not someone who already approved.",
    );
  });

  it("waits for N approvals before anyone voted, once the policy is known", () => {
    const view = render({ quorum, history: [] });
    expect(view.output.title).toBe("Waiting for 2 approvals");
    expect(view.output.summary).toContain("**Approvals: 0 of 2**");
  });

  it("says nothing about a quorum before any attempt told it the policy", () => {
    const view = render({});
    expect(view.output.title).toBe("Waiting for approval");
    expect(view.output.summary).not.toContain("Approvals:");
  });

  it("names each approver and their channel once a quorum decided", () => {
    const view = render({
      resolution: {
        kind: "decided",
        status: "Approved",
        deciders: ["alice", "bob"],
        channel: "buttons",
        votes: [
          { login: "alice", channel: "pr_comments" },
          { login: "bob", channel: "buttons" },
        ],
        at: "2026-11-28T12:01:00.000Z",
      },
    });
    expect(view.output.title).toBe("Approved by @alice, @bob");
    expect(view.output.summary).toContain(
      "@\u200dalice (PR comment) and @\u200dbob (check run button) approved this at 2026-11-28 12:01 UTC",
    );
  });
});

describe("describeEligible", () => {
  it.each<[string, Quorum, string[], string]>([
    [
      "anyone with the permission",
      { required: 1, minPermission: "maintain", excludesAuthors: false },
      [],
      "anyone, with maintain permission or higher",
    ],
    [
      "the listed users left",
      { required: 2, minPermission: "write", users: ["alice", "bob"], excludesAuthors: false },
      ["Alice"],
      "@\u200dbob, with write permission or higher",
    ],
    [
      "nobody when every listed user approved",
      { required: 3, minPermission: "write", users: ["alice"], excludesAuthors: false },
      ["alice"],
      "nobody left on the list, with write permission or higher",
    ],
  ])("%s", (_name, given, approved, expected) => {
    expect(describeEligible(given, approved)).toBe(expected);
  });
});

describe("rendering who may decide when one approval is enough", () => {
  it("says who may decide, without counting", () => {
    const { summary } = render({ quorum: { ...quorum, required: 1 }, history: [] }).output;
    expect(summary).toContain(
      "- **Needs** 1 approval from @\u200dalice, @\u200dbob or a member of acme/release, with **write** permission or higher.",
    );
    expect(summary).not.toContain("Approvals:");
  });
});
