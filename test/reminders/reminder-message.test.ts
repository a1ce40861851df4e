import { describe, expect, it } from "vitest";
import { parseQueueMessage } from "../../src/intake/parse-queue-message.js";
import { reminderMessageFor } from "../../src/reminders/reminder-message.js";
import { isDue, nextDelaySeconds, reminderDueAt } from "../../src/reminders/reminder-timing.js";
import { sha } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";

const commit = { owner: "octo-org", repo: "service", sha };
const message = reminderMessageFor(pendingApproval, commit, "2026-12-04T11:09:00.000Z");

describe("the reminder message", () => {
  it("is told apart from SNS envelopes and EventBridge events, and read back whole", () => {
    expect(parseQueueMessage(JSON.stringify(message))).toEqual({
      kind: "reminder",
      reminder: message,
    });
    expect(message).not.toHaveProperty("Type");
    expect(message).not.toHaveProperty("source");
  });

  it("carries no people's text: no custom data, no links", () => {
    expect(JSON.stringify(message)).not.toContain("Please review");
    expect(JSON.stringify(message)).not.toContain("console.aws.amazon.com");
  });

  it.each([
    ["a missing commit", { ...message, commit: undefined }],
    ["a token that is not one", { ...message, approval: { ...message.approval, token: "x" } }],
    ["an unknown key", { ...message, mention: "@everyone" }],
    ["a due time that is not a time", { ...message, dueAt: "tomorrow" }],
    ["another version", { ...message, v: 2 }],
    ["a due time at the approval's expiry", { ...message, dueAt: message.approval.expiresAt }],
    ["a due time after the approval's expiry", { ...message, dueAt: "2099-01-01T00:00:00.000Z" }],
  ])("refuses %s, keeping zod's issues, for the dead-letter queue", (_what, body) => {
    const parsed = parseQueueMessage(JSON.stringify(body));
    expect(parsed).toMatchObject({ kind: "invalid", reason: "malformed reminder message" });
    expect(parsed.kind === "invalid" ? parsed.issues?.length : 0).toBeGreaterThan(0);
  });
});

describe("the reminder's timing", () => {
  const now = new Date("2026-12-01T00:00:00.000Z");

  it("is due remind_before ahead of the expiry", () => {
    expect(reminderDueAt("2026-12-05T11:09:00.000Z", 24 * 3_600_000)).toBe(
      "2026-12-04T11:09:00.000Z",
    );
  });

  it.each([
    ["days away", "2026-12-04T00:00:00.000Z", 900],
    ["exactly 15 minutes away", "2026-12-01T00:15:00.000Z", 900],
    ["100 s away", "2026-12-01T00:01:40.000Z", 100],
    ["1.2 s away (rounded up, never early)", "2026-12-01T00:00:01.200Z", 2],
    ["due now", "2026-12-01T00:00:00.000Z", 0],
    ["overdue (remind_before longer than the time left)", "2026-11-30T00:00:00.000Z", 0],
  ])("waits at most 15 minutes per message: %s", (_what, dueAt, seconds) => {
    expect(nextDelaySeconds(dueAt, now)).toBe(seconds);
    expect(isDue(dueAt, now)).toBe(seconds === 0);
  });
});
