import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  actionExecutions,
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { expectAllDone } from "../helpers/expect-all-done.js";

/**
 * A clock that moves `publishMs` once the check run is created: how long publishing took, as the
 * handler sees it, without waiting.
 */
function setup(publishMs: number) {
  const { log, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  let elapsed = 0;
  const start = Date.parse("2026-11-28T12:00:00Z");
  const handle = createQueueMessageHandler({
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    recheckAfterMs: 5_000,
    now: () => new Date(start + elapsed),
  });
  const created: JsonBody[] = [];
  const scopes = [
    nockCodePipeline("GetPipeline", pipelineDefinition()),
    nockCodePipeline("GetPipelineState", pipelineState()),
    nockCodePipeline("GetPipelineExecution", pipelineExecution()),
    nockRepoInstallation(),
    nockInstallationToken(),
    nockListCheckRuns(sha, []),
    nockCreateCheckRun(created).on("replied", () => {
      elapsed = publishMs;
    }),
    nockPullRequestsForCommit(sha, []),
  ];
  return { handle, created, scopes, messages };
}

/** The recheck's listing: the check run as GitHub lists it once intake created it. */
function nockListCreated(created: JsonBody[]) {
  return githubApi()
    .get(`${repoPath}/commits/${sha}/check-runs`)
    .query(true)
    .reply(200, () => ({
      total_count: created.length,
      check_runs: created.map((body) => ({ ...body, id: 9001, app: { id: appId } })),
    }));
}

const consoleUser = "arn:aws:sts::123456789012:assumed-role/Admin/jane";

describe("intake: a check run created after its approval may have closed", () => {
  it("reads the state again when publishing took longer than an event waits, and closes the check run", async () => {
    const { handle, created, scopes, messages } = setup(30_000);
    const updates: JsonBody[] = [];
    const recheck = [
      nockListCreated(created),
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "Succeeded", summary: "ok", updatedBy: consoleUser }]),
      ),
      nockUpdateCheckRun(9001, updates),
    ];

    await handle(sqsMessage(approvalNotification()));

    expectAllDone([...scopes, ...recheck]);
    expect(updates[0]).toMatchObject({ conclusion: "success", actions: [] });
    expect(String((updates[0]!.output as JsonBody).text)).toContain("CodePipeline shows: approved");
    expect(messages()).toContain(
      "the check run may have been created after a state-change event looked for it; reading the approval's state again",
    );
  });

  it("leaves a still-pending check run as it is", async () => {
    const { handle, created, scopes } = setup(30_000);
    const recheck = [
      nockListCreated(created),
      nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "InProgress" }])),
    ];
    // No update is intercepted: writing one would fail the handler.
    await handle(sqsMessage(approvalNotification()));
    expectAllDone([...scopes, ...recheck]);
  });

  it("leaves a decision made through GitHub to the request that is writing it", async () => {
    const { handle, created, scopes } = setup(30_000);
    const recheck = [
      nockListCreated(created),
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([
          { status: "Succeeded", summary: "Approved via GitHub by @alice (check run button)" },
        ]),
      ),
    ];
    // No update is intercepted: the deciding request writes the record that names @alice.
    await handle(sqsMessage(approvalNotification()));
    expectAllDone([...scopes, ...recheck]);
  });

  it("makes no extra call when publishing was quick", async () => {
    const { handle, scopes, messages } = setup(1_000);
    // Nothing else is intercepted: a recheck would fail on an unmatched request.
    await handle(sqsMessage(approvalNotification()));
    expectAllDone(scopes);
    expect(
      messages().some((message) => message.startsWith("the check run may have been created after")),
    ).toBe(false);
  });
});
