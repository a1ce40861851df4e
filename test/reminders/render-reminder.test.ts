import { describe, expect, it } from "vitest";
import {
  approverMentions,
  describeTimeLeft,
  reminderMarker,
  renderReminder,
} from "../../src/presentation/render-reminder.js";
import { sha, token } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";

const now = new Date("2026-12-05T07:09:00.000Z");
const view = {
  approval: pendingApproval,
  sha,
  approvers: { users: ["alice"], teams: [{ org: "acme", slug: "release" }] },
  minPermission: "write" as const,
  checkRunUrl: "https://github.com/octo-org/service/runs/9001",
  now,
};

describe("renderReminder", () => {
  it("mentions the approvers the policy names and says when the approval expires", () => {
    expect(renderReminder(view)).toMatchSnapshot();
  });

  it("without named approvers, says who may decide and mentions nobody", () => {
    const text = renderReminder({ ...view, approvers: undefined, minPermission: "maintain" });
    expect(text).toMatchSnapshot();
    expect(text).not.toMatch(/@[A-Za-z0-9]/);
  });

  it("on hold, says so instead of asking for an approval that would be refused", () => {
    const text = renderReminder({
      ...view,
      hold: { kind: "held", by: "carol", at: "2026-12-05T07:00:00.000Z" },
    });
    expect(text).toContain(
      "It is on hold by @\u200dcarol: approvals are refused until someone comments `/unhold`",
    );
    expect(text).not.toContain("click **Approve**");
    expect(text).toContain("@alice @acme/release:");
  });

  it("hides the token behind a hash, the same for every replica", () => {
    const marker = reminderMarker({ token });
    expect(marker).toMatch(/^<!-- codepipeline-approvals:reminder [0-9a-f]{24} -->$/);
    expect(marker).not.toContain(token);
    expect(renderReminder(view).startsWith(`${marker}\n`)).toBe(true);
  });

  it("leaves out the pipeline's custom data: nobody's text reaches a comment that mentions people", () => {
    expect(renderReminder(view)).not.toContain("Please review");
  });

  it("shows a name that is no GitHub login or team without notifying anyone", () => {
    const mentions = approverMentions({ users: ["alice", "bad name"], teams: [] });
    expect(mentions).toBe("@alice @\u200dbad name");
  });
});

describe("describeTimeLeft", () => {
  it.each([
    [0, "now"],
    [20_000, "in less than a minute"],
    [30 * 60_000 - 2_000, "in 30 minutes"],
    [4 * 3_600_000, "in 4 hours"],
    [24 * 3_600_000 - 500, "in 1 day"],
    [36 * 3_600_000, "in 1 day 12 hours"],
    [(2 * 24 * 60 + 61) * 60_000, "in 2 days 1 hour"],
  ])("%i ms → %s", (ms, text) => {
    expect(describeTimeLeft(ms)).toBe(text);
  });
});
