import type { ActionExecutionDetail } from "@aws-sdk/client-codepipeline";
import { describe, expect, it } from "vitest";
import { approvalStateOf } from "../../src/codepipeline/read-approval-state.js";
import { token } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";

const beforeExpiry = new Date("2026-12-01T00:00:00Z");
const afterExpiry = new Date("2026-12-06T00:00:00Z");

function run(status: string, result: { token?: string; summary?: string } = {}) {
  return {
    stageName: "Approval",
    actionName: "ManualApproval",
    status,
    lastUpdateTime: new Date("2026-12-05T12:00:00Z"),
    output: {
      executionResult: {
        externalExecutionId: result.token ?? token,
        ...(result.summary ? { externalExecutionSummary: result.summary } : {}),
      },
    },
  } as ActionExecutionDetail;
}

describe("approvalStateOf", () => {
  it("tells a Failed run without a summary after the deadline from a rejection", () => {
    expect(approvalStateOf(run("Failed"), pendingApproval, afterExpiry)).toEqual({
      kind: "expired",
      at: "2026-12-05T12:00:00.000Z",
    });
    expect(approvalStateOf(run("Failed"), pendingApproval, beforeExpiry)).toMatchObject({
      kind: "rejected",
    });
    expect(
      approvalStateOf(run("Failed", { summary: "No" }), pendingApproval, afterExpiry),
    ).toMatchObject({ kind: "rejected", summary: "No" });
  });

  it("calls another token's run, or an abandoned one, superseded", () => {
    const other = run("InProgress", { token: "22222222-2222-4333-8444-555555555555" });
    expect(approvalStateOf(other, pendingApproval, beforeExpiry)).toEqual({ kind: "superseded" });
    expect(approvalStateOf(run("Abandoned"), pendingApproval, beforeExpiry)).toEqual({
      kind: "superseded",
    });
  });

  it("answers gone when the execution has no run of the action", () => {
    expect(approvalStateOf(undefined, pendingApproval, beforeExpiry)).toEqual({
      kind: "gone",
      what: "action",
    });
  });
});
