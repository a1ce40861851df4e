import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../src/approvals/check-run-record.schema.js";
import { newRecord, type TrackedApproval } from "../../src/approvals/check-run-record.js";
import { newestRecord } from "../../src/approvals/newest-record.js";
import { approvalCheckRun, buttonClick, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockPermission,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import { createTestProbot, receive } from "../helpers/probot.js";

const refusal: HistoryEntry = {
  id: "e1",
  at: "2026-11-28T12:00:00.000Z",
  actor: "mallory",
  channel: "buttons",
  verdict: "Approved",
  result: "refused",
  detail: "@mallory has read permission; write is required",
};

function tracked(
  resolution: TrackedApproval["record"]["resolution"],
  history: HistoryEntry[],
): TrackedApproval {
  return {
    approval: pendingApproval,
    record: { ...newRecord(pendingApproval), resolution, history },
  };
}

const pending = tracked({ kind: "pending" }, []);
const pendingWithRefusal = tracked({ kind: "pending" }, [refusal]);
const expired = tracked({ kind: "expired", at: "2026-12-05T11:09:00.000Z" }, []);

describe("choosing the newest copy of a record", () => {
  it("takes GitHub's copy when nothing is remembered", () => {
    expect(newestRecord(pending, undefined)).toBe(pending);
  });

  it("takes a closed copy over a pending one, even with a shorter audit trail", () => {
    expect(newestRecord(expired, pendingWithRefusal)).toBe(expired);
    expect(newestRecord(pendingWithRefusal, expired)).toBe(expired);
  });

  it("takes the longer audit trail between two pending copies", () => {
    expect(newestRecord(pending, pendingWithRefusal)).toBe(pendingWithRefusal);
    expect(newestRecord(pendingWithRefusal, pending)).toBe(pendingWithRefusal);
  });

  it("takes GitHub's copy on a tie", () => {
    const sameLength = tracked({ kind: "pending" }, [{ ...refusal, id: "e2" }]);
    expect(newestRecord(sameLength, pendingWithRefusal)).toBe(sameLength);
  });
});

describe("a click after the pipeline closed the approval", () => {
  it("never reopens the check run from what this process remembered", async () => {
    const { probot } = createTestProbot({ pipelines: createTestPipelineGateway() });
    const first: JsonBody[] = [];
    const refusedClick = [
      nockInstallationToken(),
      ...nockNoPolicy(),
      nockPermission("mallory", "read"),
      nockUpdateCheckRun(9001, first),
    ];

    // A refused click: this process now remembers a pending record with one audit entry.
    await receive(probot, "check_run", buttonClick({ login: "mallory" }));
    expectAllDone(refusedClick);
    expect(first[0]).toMatchObject({ conclusion: "action_required" });

    // Then CodePipeline's state closed it (e.g. the lifecycle sync saw it expire), and a later
    // click arrives carrying that closed record.
    const closed = approvalCheckRun(
      tracked({ kind: "expired", at: "2026-12-05T11:09:00.000Z" }, [refusal]),
    );
    const reopened = githubApi().patch(`${repoPath}/check-runs/9001`).reply(200, {});
    await receive(probot, "check_run", buttonClick({ login: "alice", checkRun: closed }));

    // Nothing is written: neither a refusal nor a decision brings the buttons back.
    expect(reopened.isDone()).toBe(false);
  });
});
