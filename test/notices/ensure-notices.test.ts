import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import { publishApproval } from "../../src/intake/publish-approval.js";
import { noticeMarker } from "../../src/presentation/render-notice.js";
import {
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { approvalCheckRunOn } from "../fixtures/comments.js";
import { pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  type JsonBody,
} from "../helpers/github-api.js";
import {
  nockCreateIssueComment,
  nockPostNotice,
  nockListIssueComments,
  nockPullRequestsForCommit,
} from "../helpers/github-conversation-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { expectAllDone } from "../helpers/expect-all-done.js";

const commit = { owner: "octo-org", repo: "service", sha };

function setup() {
  const { log, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  return { github: createInstallationClients(probot), log, messages, appId };
}

/** The GitHub calls before the notice: installation, token, the (empty) check run lookup. */
function nockFirstDelivery(created: JsonBody[]) {
  return [
    nockRepoInstallation(),
    nockInstallationToken(),
    nockListCheckRuns(sha, []),
    nockCreateCheckRun(created),
  ];
}

describe("the PR notice, posted when the check run is created", () => {
  it("comments once on the PR whose head is the commit, without searching first", async () => {
    const deps = setup();
    const created: JsonBody[] = [];
    const notices: JsonBody[] = [];
    const scopes = [
      ...nockFirstDelivery(created),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockPostNotice(42, notices),
    ];

    // No comment list is intercepted: a brand-new check run id cannot have a notice yet.
    await publishApproval(pendingApproval, commit, deps);

    expectAllDone(scopes);
    expect(notices).toHaveLength(1);
    const body = String(notices[0]!.body);
    expect(body.startsWith(noticeMarker(9001))).toBe(true);
    expect(body).toContain(
      "### ⏳ Waiting for approval: `my-service-pipeline/Approval/ManualApproval`",
    );
  });

  it("comments on a merged PR whose merge commit is the commit, not on PRs that merely contain it", async () => {
    const deps = setup();
    const notices: JsonBody[] = [];
    const stacked: JsonBody[] = [];
    const scopes = [
      ...nockFirstDelivery([]),
      nockPullRequestsForCommit(sha, [
        { number: 42, headSha: "a".repeat(40), merged: true, mergeCommitSha: sha },
        { number: 43, headSha: "e".repeat(40) },
      ]),
      nockPostNotice(42, notices),
    ];
    nockCreateIssueComment(43, stacked);

    await publishApproval(pendingApproval, commit, deps);

    expectAllDone(scopes);
    expect(notices).toHaveLength(1);
    expect(stacked).toEqual([]);
  });

  it("posts nothing on a redelivery that finds the notice", async () => {
    const deps = setup();
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockListIssueComments(42, [{ id: 3001, body: `${noticeMarker(9001)}\nwaiting` }]),
    ];
    // No comment creation is intercepted.
    const outcome = await publishApproval(pendingApproval, commit, deps);
    expectAllDone(scopes);
    expect(outcome).toEqual({ kind: "duplicate", checkRunId: 9001 });
  });

  it("heals a first delivery that stopped after the check run: the redelivery posts the notice", async () => {
    const deps = setup();
    const notices: JsonBody[] = [];
    const scopes = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, [approvalCheckRunOn()]),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      // Someone quoting the marker is not the app's notice.
      nockListIssueComments(42, [
        { id: 3002, body: noticeMarker(9001), user: { login: "mallory", type: "User" } },
      ]),
      nockPostNotice(42, notices),
    ];
    await publishApproval(pendingApproval, commit, deps);
    expectAllDone(scopes);
    expect(notices).toHaveLength(1);
  });

  it("posts nothing when PR notices are off for this approval", async () => {
    const deps = setup();
    // The commit has a pull request: only the switch keeps the notice off it.
    const scopes = [
      ...nockFirstDelivery([]),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
    ];
    const asked: unknown[] = [];
    await publishApproval(pendingApproval, commit, {
      ...deps,
      notifyPullRequests: async (_octokit, repo, approval) => {
        asked.push({ repo, approval });
        return false;
      },
    });
    expectAllDone(scopes);
    // The switch is asked about this approval, so a policy rule matching it can decide.
    expect(asked).toEqual([
      { repo: { owner: "octo-org", repo: "service" }, approval: pendingApproval },
    ]);
  });

  it("keeps the check run and logs when GitHub refuses the comment (locked conversation)", async () => {
    const deps = setup();
    const scopes = [
      ...nockFirstDelivery([]),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      githubApi()
        .post("/repos/octo-org/service/issues/42/comments")
        .reply(403, { message: "Unable to create comment because issue is locked." }),
    ];
    await expect(publishApproval(pendingApproval, commit, deps)).resolves.toEqual({
      kind: "created",
      checkRunId: 9001,
    });
    expectAllDone(scopes);
    expect(deps.messages()).toContain("could not post the approval notice on the pull request");
  });

  it("fails the publish (so the queue redelivers) when GitHub has a server error", async () => {
    const deps = setup();
    nockFirstDelivery([]);
    githubApi().get(`/repos/octo-org/service/commits/${sha}/pulls`).query(true).reply(502, {});
    await expect(publishApproval(pendingApproval, commit, deps)).rejects.toMatchObject({
      status: 502,
    });
  });

  it("leaves exactly one notice when the same notification is delivered twice", async () => {
    const { github, log } = setup();
    const handle = createQueueMessageHandler({
      pipelines: createTestPipelineGateway(),
      github,
      log,
      appId,
    });
    const created: JsonBody[] = [];
    const notices: JsonBody[] = [];
    nockCodePipeline("GetPipeline", pipelineDefinition());
    for (let delivery = 0; delivery < 2; delivery++) {
      nockCodePipeline("GetPipelineState", pipelineState());
      nockCodePipeline("GetPipelineExecution", pipelineExecution());
    }
    nockFirstDelivery(created);
    nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]);
    nockPostNotice(42, notices);
    await handle(sqsMessage(approvalNotification()));

    const existing = { ...approvalCheckRunOn(), external_id: String(created[0]!.external_id) };
    const second = [
      nockListCheckRuns(sha, [existing]),
      nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
      nockListIssueComments(42, [{ id: 5001, body: String(notices[0]!.body) }]),
    ];
    await handle(sqsMessage(approvalNotification()));

    expectAllDone(second);
    expect(created).toHaveLength(1);
    expect(notices).toHaveLength(1);
  });
});
