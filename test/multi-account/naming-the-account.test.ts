import { describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { chooseTarget } from "../../src/channels/choose-target.js";
import { renderCheckRun } from "../../src/presentation/render-check-run.js";
import { renderNotice } from "../../src/presentation/render-notice.js";
import { sha } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";

const checkRun = {
  id: 9001,
  head_sha: sha,
  html_url: "https://github.com/octo-org/service/runs/9001",
};

function views(approval: PendingApproval) {
  const tracked = { approval, record: newRecord(approval) };
  return {
    summary: renderCheckRun(tracked).output.summary,
    notice: renderNotice(tracked, checkRun),
  };
}

describe("the check run and the notice name the approval's AWS account next to its region", () => {
  it("names the alias and the id", () => {
    const { summary, notice } = views({
      ...pendingApproval,
      account: "222222222222",
      accountAlias: "staging",
      region: "us-west-2",
    });
    expect(summary).toContain("| AWS account | Region |");
    expect(summary).toContain("| staging (`222222222222`) | `us-west-2` |");
    expect(notice).toContain("(AWS account staging (`222222222222`), region `us-west-2`)");
  });

  it("names the id alone when no alias is configured", () => {
    const { summary, notice } = views({ ...pendingApproval, account: "333333333333" });
    expect(summary).toContain("| `333333333333` | `us-east-1` |");
    expect(notice).toContain("(AWS account `333333333333`, region `us-east-1`)");
  });

  it("shows an alias read back from a record as text, never as markup", () => {
    const { summary } = views({
      ...pendingApproval,
      account: "222222222222",
      accountAlias: "<img src=x>|**prod**",
    });
    expect(summary).not.toContain("<img");
    expect(summary).not.toContain("|**prod**");
  });

  it("adds nothing for a check run created before accounts were recorded", () => {
    const { summary, notice } = views(pendingApproval);
    expect(summary).not.toContain("AWS account");
    expect(notice).toContain("(region `us-east-1`)");
  });
});

describe("a command naming an address two accounts share", () => {
  it("is told apart from neither: both are listed as ambiguous, none is decided", () => {
    const inAccount = (account: string) => {
      const approval = { ...pendingApproval, account, executionId: `${account}-execution` };
      return { tracked: { approval, record: newRecord(approval) } };
    };
    const staging = inAccount("222222222222");
    const production = inAccount("333333333333");
    expect(
      chooseTarget([staging, production], "my-service-pipeline/Approval/ManualApproval"),
    ).toEqual({ kind: "ambiguous", candidates: [staging, production] });
  });
});
