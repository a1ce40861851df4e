import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/channels/parse-command.js";

describe("parseCommand: the approval controls", () => {
  it("reads /hold with a reason, and /unhold", () => {
    expect(parseCommand("/hold the canary alarms fired")).toEqual({
      kind: "control",
      control: "hold",
      reason: "the canary alarms fired",
    });
    expect(parseCommand("/HOLD")).toEqual({ kind: "control", control: "hold" });
    expect(parseCommand("/unhold")).toEqual({ kind: "control", control: "unhold" });
  });

  it("addresses a hold like /approve: a first word with a slash is the target", () => {
    expect(parseCommand("/hold web/Prod wait for the migration\nsee #12")).toEqual({
      kind: "control",
      control: "hold",
      target: "web/Prod",
      reason: "wait for the migration\nsee #12",
    });
    expect(parseCommand("/unhold web/Prod/Approve")).toEqual({
      kind: "control",
      control: "unhold",
      target: "web/Prod/Approve",
    });
  });

  it("reads a hold only on the first line, and not a longer word", () => {
    expect(parseCommand("> /hold\nquoted")).toEqual({ kind: "none" });
    expect(parseCommand("looks fine\n/hold")).toEqual({ kind: "none" });
    expect(parseCommand("/holdon")).toEqual({ kind: "none" });
  });

  it("reads --break-glass right after /approve or after its target", () => {
    expect(parseCommand("/approve --break-glass prod is down")).toEqual({
      kind: "command",
      verdict: "Approved",
      reason: "prod is down",
      breakGlass: true,
    });
    expect(parseCommand("/approve web/Prod --break-glass prod is down")).toEqual({
      kind: "command",
      verdict: "Approved",
      target: "web/Prod",
      reason: "prod is down",
      breakGlass: true,
    });
    expect(parseCommand("/approve --break-glass web/Prod")).toEqual({
      kind: "command",
      verdict: "Approved",
      target: "web/Prod",
      breakGlass: true,
    });
  });

  it("takes --break-glass only as a whole word after /approve; elsewhere it is reason text", () => {
    expect(parseCommand("/approve --break-glassy")).toMatchObject({ reason: "--break-glassy" });
    expect(parseCommand("/approve looks fine --break-glass")).not.toHaveProperty("breakGlass");
    expect(parseCommand("/reject --break-glass no")).toEqual({
      kind: "command",
      verdict: "Rejected",
      reason: "--break-glass no",
    });
  });
});
