import { describe, expect, it } from "vitest";
import { newRecord, type TrackedApproval } from "../../src/approvals/check-run-record.js";
import type { ApprovalState } from "../../src/codepipeline/pipeline-gateway.js";
import {
  planCheckRunSync,
  type PipelineObservation,
} from "../../src/lifecycle/plan-check-run-sync.js";
import { pendingApproval } from "../fixtures/github.js";
import { decidedOnGitHub } from "./state-change-fixtures.js";

const pending: TrackedApproval = { approval: pendingApproval, record: newRecord(pendingApproval) };

function observe(state: ApprovalState, more: Partial<PipelineObservation> = {}) {
  return {
    eventState: "SUCCEEDED",
    eventAt: "2026-11-30T09:15:00.000Z",
    observedAt: "2026-11-30T09:15:02.000Z",
    settled: true,
    state,
    ...more,
  };
}

describe("planCheckRunSync", () => {
  it("keeps a record closed on GitHub whatever CodePipeline says", () => {
    const decided = { ...pending, record: { ...pending.record, resolution: decidedOnGitHub } };
    expect(planCheckRunSync(decided, observe({ kind: "rejected", summary: "no" }))).toEqual({
      kind: "keep",
      reason: "closed",
    });
  });

  it("keeps a pending approval pending once settled, and looks again before that", () => {
    expect(planCheckRunSync(pending, observe({ kind: "pending" }))).toEqual({
      kind: "keep",
      reason: "pending",
    });
    expect(planCheckRunSync(pending, observe({ kind: "pending" }, { settled: false }))).toEqual({
      kind: "look-again",
      reason: "pending",
    });
  });

  it("waits for the deciding replica before writing a decision made through GitHub", () => {
    const viaGitHub: ApprovalState = {
      kind: "approved",
      summary: "Approved via GitHub by @alice (PR comment)",
    };
    expect(planCheckRunSync(pending, observe(viaGitHub, { settled: false }))).toEqual({
      kind: "look-again",
      reason: "github-decision-in-flight",
    });
    const plan = planCheckRunSync(pending, observe(viaGitHub));
    expect(plan).toMatchObject({
      kind: "update",
      next: { record: { resolution: { kind: "decided-outside", viaGitHub: true } } },
    });
  });

  it("writes a console decision at once, with an audit entry from CodePipeline", () => {
    const plan = planCheckRunSync(
      pending,
      observe({ kind: "rejected", by: "jane", summary: "not today" }, { settled: false }),
    );
    expect(plan).toEqual({
      kind: "update",
      next: {
        approval: pendingApproval,
        record: {
          ...pending.record,
          resolution: {
            kind: "decided-outside",
            status: "Rejected",
            viaGitHub: false,
            by: "jane",
            summary: "not today",
          },
          history: [
            {
              at: "2026-11-30T09:15:02.000Z",
              actor: "CodePipeline",
              channel: "aws",
              verdict: "Rejected",
              result: "rejected",
              detail:
                "CodePipeline reported SUCCEEDED: rejected outside GitHub (AWS console, CLI or API) by jane",
              // The entry that closed it, for the annotation log (closed is absorbing).
              closes: {
                kind: "decided-outside",
                status: "Rejected",
                viaGitHub: false,
                by: "jane",
                summary: "not today",
              },
            },
          ],
        },
      },
    });
  });

  it.each([
    [{ kind: "expired" } as const, {}, "expired", "the approval expired without a decision"],
    [
      { kind: "superseded" } as const,
      { newer: { sameExecution: true } },
      "superseded",
      "superseded by a newer run of this action (stage retried)",
    ],
    [{ kind: "gone", what: "action" } as const, {}, "gone", "the action no longer exists"],
  ])("closes the check run as %o", (state, more, kind, detail) => {
    const plan = planCheckRunSync(pending, observe(state, more));
    expect(plan).toMatchObject({
      kind: "update",
      next: {
        record: {
          resolution: { kind },
          history: [{ result: "stale", detail: `CodePipeline reported SUCCEEDED: ${detail}` }],
        },
      },
    });
  });
});
