import { describe, expect, it } from "vitest";
import { composeBridge } from "../../src/compose-bridge.js";
import {
  actionExecutions,
  pipelineDefinition,
  pipelineExecution,
  sha,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  nockInstallationToken,
  nockRepoInstallation,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import {
  nockListIssueComments,
  nockPullRequestsForCommit,
  nockUpdateIssueComment,
} from "../helpers/github-conversation-api.js";
import { createTestLog, TestOctokit } from "../helpers/probot.js";
import { noticeMarker } from "../../src/presentation/render-notice.js";
import {
  checkRunOf,
  decidedOnGitHub,
  nockCheckRunsOf,
  stateChangeEvent,
} from "../lifecycle/state-change-fixtures.js";
import { expectAllDone } from "../helpers/expect-all-done.js";

/** Wired as production wires it: lifecycle's onResolved is the notice update. */
async function bridge() {
  const { handleMessage } = await composeBridge(testConfig(), {
    pipelines: createTestPipelineGateway(),
    Octokit: TestOctokit,
    log: createTestLog().log,
  });
  return handleMessage;
}

/** This app's notice on PR #42, still saying the approval waits. */
function nockWaitingNotice(edits: JsonBody[]) {
  return [
    nockPullRequestsForCommit(sha, [{ number: 42, headSha: sha }]),
    nockListIssueComments(42, [
      { id: 3001, body: `${noticeMarker(9001)}\n### Waiting for approval` },
    ]),
    nockUpdateIssueComment(3001, edits),
  ];
}

/** The event's execution and commit, in a repository the app is installed on. */
function nockExecutionOnInstalledRepo() {
  return [
    nockCodePipeline("GetPipeline", pipelineDefinition()),
    nockCodePipeline("GetPipelineExecution", pipelineExecution()),
    nockRepoInstallation(),
    nockInstallationToken(),
  ];
}

/** Old enough that the lifecycle settles at its first look. */
const settledTime = () => new Date(Date.now() - 60_000).toISOString();

describe("the PR notice follows an approval closed outside GitHub", () => {
  it("edits the notice when the approval is approved in the AWS console", async () => {
    const handleMessage = await bridge();
    const checkRunUpdates: JsonBody[] = [];
    const noticeEdits: JsonBody[] = [];
    const scopes = [
      ...nockExecutionOnInstalledRepo(),
      nockCheckRunsOf([checkRunOf()]),
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([
          {
            status: "Succeeded",
            summary: "Looks good",
            updatedBy: "arn:aws:sts::123456789012:assumed-role/Admin/jane",
          },
        ]),
      ),
      nockUpdateCheckRun(9001, checkRunUpdates),
      ...nockWaitingNotice(noticeEdits),
    ];

    await handleMessage(sqsMessage(stateChangeEvent("SUCCEEDED", { time: settledTime() })));

    expectAllDone(scopes);
    expect(checkRunUpdates[0]).toMatchObject({ conclusion: "success" });
    expect(String(noticeEdits[0]!.body)).toContain("Approved");
    expect(String(noticeEdits[0]!.body)).toContain(noticeMarker(9001));
  });

  it("repairs a notice still saying 'waiting' on a check run closed before the event", async () => {
    // E.g. the decision's own notice edit failed, or intake posted the notice after the decision.
    const handleMessage = await bridge();
    const noticeEdits: JsonBody[] = [];
    const scopes = [
      ...nockExecutionOnInstalledRepo(),
      nockCheckRunsOf([checkRunOf({ resolution: decidedOnGitHub })]),
      ...nockWaitingNotice(noticeEdits),
    ];

    await handleMessage(sqsMessage(stateChangeEvent("SUCCEEDED", { time: settledTime() })));

    expectAllDone(scopes);
    expect(String(noticeEdits[0]!.body)).toContain("### ✅ Approved");
  });
});
