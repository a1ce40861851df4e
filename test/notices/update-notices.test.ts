import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { newRecord, type TrackedApproval } from "../../src/approvals/check-run-record.js";
import type { Resolution } from "../../src/approvals/check-run-record.schema.js";
import type { DecisionOutcome, DecisionRequest } from "../../src/approvals/decision-types.js";
import { noticeMarker, renderNotice } from "../../src/presentation/render-notice.js";
import { updateNoticesAfterDecision } from "../../src/notices/update-notices.js";
import { sha } from "../fixtures/codepipeline.js";
import { approvalCheckRunOn } from "../fixtures/comments.js";
import { pendingApproval } from "../fixtures/github.js";
import { githubApi, nockInstallationToken, repo, type JsonBody } from "../helpers/github-api.js";
import {
  nockCreateIssueComment,
  nockListIssueComments,
  nockPullRequestsForCommit,
  nockUpdateIssueComment,
} from "../helpers/github-conversation-api.js";
import {
  appId,
  createTestLog,
  installationId,
  privateKey,
  TestOctokit,
} from "../helpers/probot.js";
import { expectAllDone } from "../helpers/expect-all-done.js";

const decided: Resolution = {
  kind: "decided",
  status: "Approved",
  deciders: ["alice"],
  channel: "buttons",
  at: "2026-11-28T12:00:00.000Z",
};

async function setup() {
  const { log, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  nockInstallationToken();
  const octokit = await probot.auth(installationId);
  return { octokit, log, messages };
}

function request(resolution: Resolution = { kind: "pending" }): DecisionRequest {
  return {
    repo,
    checkRun: approvalCheckRunOn({ resolution }),
    actor: { login: "alice", id: 1001, isBot: false },
    verdict: "Approved",
    channel: "buttons",
  };
}

function tracked(resolution: Resolution): TrackedApproval {
  return { approval: pendingApproval, record: { ...newRecord(pendingApproval), resolution } };
}

function approvedByAlice(): Extract<DecisionOutcome, { kind: "decided" }> {
  return { kind: "decided", verdict: "Approved", deciders: ["alice"], tracked: tracked(decided) };
}

describe("updateNoticesAfterDecision", () => {
  it("edits the notice on each PR once the approval is decided", async () => {
    const { octokit, log } = await setup();
    const edits: JsonBody[] = [];
    const outcome = approvedByAlice();
    const scopes = [
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockListIssueComments(42, [{ id: 3001, body: `${noticeMarker(9001)}\nwaiting` }]),
      nockUpdateIssueComment(3001, edits),
    ];

    await expect(
      updateNoticesAfterDecision(octokit, request(), outcome, { log, appId }),
    ).resolves.toBe(outcome);

    expectAllDone(scopes);
    expect(String(edits[0]!.body)).toContain(
      "### ✅ Approved: `my-service-pipeline/Approval/ManualApproval`",
    );
  });

  it("edits the notice when the attempt found the approval expired", async () => {
    const { octokit, log } = await setup();
    const edits: JsonBody[] = [];
    const expired: Resolution = { kind: "expired" };
    const scopes = [
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockListIssueComments(42, [{ id: 3001, body: noticeMarker(9001) }]),
      nockUpdateIssueComment(3001, edits),
    ];
    await updateNoticesAfterDecision(
      octokit,
      request(),
      { kind: "closed", resolution: expired, tracked: tracked(expired) },
      { log, appId },
    );
    expectAllDone(scopes);
    expect(String(edits[0]!.body)).toContain("### ⌛ Expired:");
  });

  it("does not edit a notice that already says the outcome", async () => {
    const { octokit, log } = await setup();
    const outcome = approvedByAlice();
    const current = renderNotice(outcome.tracked, request().checkRun);
    const scopes = [
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockListIssueComments(42, [{ id: 3001, body: current }]),
    ];
    // No update is intercepted.
    await updateNoticesAfterDecision(octokit, request(), outcome, { log, appId });
    expectAllDone(scopes);
  });

  it("never creates a notice that was not posted", async () => {
    const { octokit, log } = await setup();
    const created: JsonBody[] = [];
    nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]);
    nockListIssueComments(42, []);
    nockCreateIssueComment(42, created);
    await updateNoticesAfterDecision(octokit, request(), approvedByAlice(), { log, appId });
    expect(created).toEqual([]);
  });

  it.each<[string, DecisionOutcome, Resolution]>([
    [
      "a refused request",
      { kind: "refused", reason: "no", tracked: tracked({ kind: "pending" }) },
      { kind: "pending" },
    ],
    [
      "a failed request",
      { kind: "failed", message: "throttled", tracked: tracked({ kind: "pending" }) },
      { kind: "pending" },
    ],
    [
      "an approval closed before this request",
      { kind: "closed", resolution: decided, tracked: tracked(decided) },
      decided,
    ],
  ])("makes no call for %s", async (_case, outcome, before) => {
    const { octokit, log, messages } = await setup();
    // Nothing is intercepted: any call would fail and be logged as a failure.
    await updateNoticesAfterDecision(octokit, request(before), outcome, { log, appId });
    expect(messages()).not.toContain("could not update the approval notice");
  });

  it("edits only this app's notice, not another app's comment carrying the same marker", async () => {
    const { octokit, log } = await setup();
    const edits: JsonBody[] = [];
    const outcome = approvedByAlice();
    const scopes = [
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockListIssueComments(42, [
        {
          id: 3000,
          body: noticeMarker(9001),
          user: { login: "github-actions[bot]", type: "Bot" },
          viaApp: { id: 15368, slug: "github-actions" },
        },
        {
          id: 3001,
          body: noticeMarker(9001),
          viaApp: { id: appId, slug: "codepipeline-approvals" },
        },
      ]),
      nockUpdateIssueComment(3001, edits),
    ];

    await updateNoticesAfterDecision(octokit, request(), outcome, { log, appId });

    expectAllDone(scopes);
    expect(edits).toHaveLength(1);
  });

  it("logs and keeps the outcome when GitHub fails", async () => {
    const { octokit, log, messages } = await setup();
    githubApi().get(`/repos/octo-org/service/commits/${sha}/pulls`).query(true).reply(500, {});
    const outcome = approvedByAlice();
    await expect(
      updateNoticesAfterDecision(octokit, request(), outcome, { log, appId }),
    ).resolves.toBe(outcome);
    expect(messages()).toContain("could not update the approval notice");
  });
});
