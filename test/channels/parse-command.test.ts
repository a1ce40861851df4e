import { describe, expect, it } from "vitest";
import { parseCommand, reasonLimit } from "../../src/channels/parse-command.js";

describe("parseCommand", () => {
  it("reads a bare /approve and /reject", () => {
    expect(parseCommand("/approve")).toEqual({ kind: "command", verdict: "Approved" });
    expect(parseCommand("/reject")).toEqual({ kind: "command", verdict: "Rejected" });
  });

  it("is case-insensitive", () => {
    expect(parseCommand("/APPROVE")).toEqual({ kind: "command", verdict: "Approved" });
    expect(parseCommand("/Reject not yet")).toEqual({
      kind: "command",
      verdict: "Rejected",
      reason: "not yet",
    });
  });

  it("takes the rest of the first line as the reason", () => {
    expect(parseCommand("/reject the migration is not reversible")).toEqual({
      kind: "command",
      verdict: "Rejected",
      reason: "the migration is not reversible",
    });
  });

  it("continues the reason on the following lines (CRLF as GitHub's editor sends it)", () => {
    expect(parseCommand("/reject the migration\r\nis not reversible\r\n\r\nsee #12\r\n")).toEqual({
      kind: "command",
      verdict: "Rejected",
      reason: "the migration\nis not reversible\n\nsee #12",
    });
    expect(parseCommand("/approve\nchecked the dashboards")).toMatchObject({
      reason: "checked the dashboards",
    });
  });

  it("reads a first word with a slash as the target, the rest as the reason", () => {
    expect(parseCommand("/approve my-service-pipeline/Prod/Approve ship it")).toEqual({
      kind: "command",
      verdict: "Approved",
      target: "my-service-pipeline/Prod/Approve",
      reason: "ship it",
    });
    expect(parseCommand("/reject deploy/")).toEqual({
      kind: "command",
      verdict: "Rejected",
      target: "deploy/",
    });
  });

  it("keeps a first word that is not a CodePipeline name as part of the reason", () => {
    expect(parseCommand("/reject CI/CD, is broken")).toMatchObject({ reason: "CI/CD, is broken" });
    expect(parseCommand("/reject CI/CD, is broken")).not.toHaveProperty("target");
    expect(parseCommand("/reject https://example.com/x broken")).not.toHaveProperty("target");
    expect(parseCommand("/approve looks good")).not.toHaveProperty("target");
  });

  it('reads an AWS account (id or alias) before a ":" as part of the target', () => {
    expect(parseCommand("/approve staging:web/Prod go")).toMatchObject({
      target: "staging:web/Prod",
      reason: "go",
    });
    expect(parseCommand("/reject 222222222222:web/Prod/Gate")).toMatchObject({
      target: "222222222222:web/Prod/Gate",
    });
  });

  it("ignores leading blank space before the command", () => {
    expect(parseCommand("\n  /approve")).toEqual({ kind: "command", verdict: "Approved" });
  });

  it.each([
    ["a quoted command", "> /approve\n\nI agree"],
    ["a command in the middle of the text", "I think we should /approve this"],
    ["a command on a later line", "LGTM\n/approve"],
    ["a longer word", "/approved"],
    ["a command in code", "`/approve`"],
    ["an empty body", ""],
  ])("does nothing for %s", (_case, body) => {
    expect(parseCommand(body)).toEqual({ kind: "none" });
  });

  it("caps a very long reason", () => {
    const parsed = parseCommand(`/reject ${"x".repeat(5000)}`);
    expect(parsed.kind === "command" && parsed.reason?.length).toBe(reasonLimit);
  });
});
