import { describe, expect, it } from "vitest";
import { newRecord } from "../../src/approvals/check-run-record.js";
import type { Resolution } from "../../src/approvals/check-run-record.schema.js";
import { noticeMarker, renderNotice } from "../../src/presentation/render-notice.js";
import { sha } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";

const checkRun = {
  id: 9001,
  head_sha: sha,
  html_url: "https://github.com/octo-org/service/runs/9001",
};

function noticeFor(resolution: Resolution, approval = pendingApproval) {
  return renderNotice({ approval, record: { ...newRecord(approval), resolution } }, checkRun);
}

describe("renderNotice", () => {
  it("says what waits, until when, and how to decide, under a hidden marker", () => {
    const body = noticeFor({ kind: "pending" });
    expect(body.split("\n")[0]).toBe(noticeMarker(9001));
    expect(body).toContain(
      "### ⏳ Waiting for approval: `my-service-pipeline/Approval/ManualApproval`",
    );
    expect(body).toContain("on commit `6dcb09b`");
    expect(body).toContain("stage `Approval`, action `ManualApproval` (region `us-east-1`)");
    expect(body).toContain("expires at 2026-12-05 11:09 UTC");
    expect(body).toContain("> Please review before prod");
    expect(body).toContain("[check run](https://github.com/octo-org/service/runs/9001)");
    expect(body).toContain("comment `/approve` or `/reject <reason>`");
    expect(body).toContain("`/approve my-service-pipeline/Approval/ManualApproval`");
  });

  it("ends with the outcome and the reason once decided", () => {
    const body = noticeFor({
      kind: "decided",
      status: "Rejected",
      deciders: ["alice"],
      channel: "pr_comments",
      reason: "not reversible\n@team look",
      at: "2026-11-28T12:00:00.000Z",
    });
    expect(body.split("\n")[0]).toBe(noticeMarker(9001));
    expect(body).toContain("### ❌ Rejected: `my-service-pipeline/Approval/ManualApproval`");
    expect(body).toContain("was rejected by @\u200dalice via PR comment at 2026-11-28 12:00 UTC.");
    // Untrusted reason text is quoted and escaped: no mention pings, no markdown.
    expect(body).toContain("> not reversible\n> @\u200dteam look");
    expect(body).not.toContain("How to decide");
  });

  it.each<[Resolution, string]>([
    [{ kind: "expired" }, "### ⌛ Expired:"],
    [{ kind: "superseded", byExecutionId: "77777777" }, "### ⏭️ Superseded:"],
    [{ kind: "superseded" }, "### ⏭️ Closed without a decision:"],
    [{ kind: "superseded" }, "can no longer be decided: CodePipeline stopped waiting for it"],
    [{ kind: "gone", what: "stage" }, "its stage no longer exists in CodePipeline"],
    [
      { kind: "decided-outside", status: "Approved", viaGitHub: false },
      "was approved outside GitHub (AWS console, CLI or API)",
    ],
  ])("describes %j", (resolution, text) => {
    expect(noticeFor(resolution)).toContain(text);
  });

  it("escapes the pipeline's custom data", () => {
    const body = noticeFor(
      { kind: "pending" },
      { ...pendingApproval, customData: "<img src=x> [a](b)" },
    );
    expect(body).toContain("> &lt;img src\\=x&gt; \\[a\\]\\(b\\)");
  });
});
