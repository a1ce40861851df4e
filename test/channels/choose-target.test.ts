import { describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { chooseTarget } from "../../src/channels/choose-target.js";
import { otherApproval } from "../fixtures/comments.js";
import { pendingApproval } from "../fixtures/github.js";

function item(approval: PendingApproval) {
  return { tracked: { approval, record: newRecord(approval) } };
}

const staging = item(pendingApproval); // my-service-pipeline/Approval/ManualApproval
const stagingTwo = item(otherApproval({ actionName: "ManualApproval2" }));
const prod = item(otherApproval({ pipelineName: "prod-pipeline", token: "p" }));

describe("chooseTarget", () => {
  it("decides the only pending approval on a bare command", () => {
    expect(chooseTarget([staging])).toEqual({ kind: "one", chosen: staging });
  });

  it("never guesses between several on a bare command", () => {
    expect(chooseTarget([staging, prod])).toEqual({
      kind: "ambiguous",
      candidates: [staging, prod],
    });
  });

  it("says none is pending, whatever the target", () => {
    expect(chooseTarget([], "prod-pipeline/")).toEqual({ kind: "none-pending" });
  });

  it("picks by an unambiguous, case-insensitive prefix", () => {
    expect(chooseTarget([staging, prod], "PROD-pipeline/")).toEqual({ kind: "one", chosen: prod });
  });

  it("prefers the exact address over a longer one it prefixes", () => {
    expect(
      chooseTarget([staging, stagingTwo], "my-service-pipeline/Approval/ManualApproval"),
    ).toEqual({ kind: "one", chosen: staging });
  });

  it("lists the matches of a shared prefix, and everything for a target that matches none", () => {
    expect(chooseTarget([staging, stagingTwo, prod], "my-service-pipeline/")).toEqual({
      kind: "ambiguous",
      candidates: [staging, stagingTwo],
    });
    expect(chooseTarget([staging, prod], "other/")).toEqual({
      kind: "no-match",
      target: "other/",
      candidates: [staging, prod],
    });
  });

  it("never lets a name match a longer one: Approve is not Approve2, Prod is not ProdEU", () => {
    expect(chooseTarget([stagingTwo], "my-service-pipeline/Approval/ManualApproval")).toMatchObject(
      {
        kind: "no-match",
      },
    );
    expect(chooseTarget([stagingTwo], "my-service-pipeline/Approv")).toMatchObject({
      kind: "no-match",
    });
    expect(chooseTarget([staging, prod], "prod")).toMatchObject({ kind: "no-match" });
    expect(chooseTarget([staging, prod], "prod-pipeline")).toEqual({ kind: "one", chosen: prod });
  });

  it("refuses a target that matches nothing even when only one approval is pending", () => {
    expect(chooseTarget([staging], "prod-pipeline/")).toMatchObject({ kind: "no-match" });
  });
});
