import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { approvalCheckRun } from "../fixtures/github.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockRepoInstallation,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";

describe("look-alike check runs", () => {
  it("publishes the approval although another app made a check run with the same name and token", async () => {
    const { log } = createTestLog();
    const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
    const handle = createQueueMessageHandler({
      pipelines: createTestPipelineGateway(),
      github: createInstallationClients(probot),
      log,
      appId,
    });
    // Another app copied our check run, name and external_id (with the token) included. GitHub
    // lists it for a lookup by name alone, and leaves it out once the lookup names this app.
    const impostor = { ...approvalCheckRun(), id: 666, app: { id: 31337, slug: "look-alike" } };
    githubApi()
      .get(`${repoPath}/commits/${sha}/check-runs`)
      .query((query) => query.app_id === undefined)
      .optionally()
      .reply(200, { total_count: 1, check_runs: [impostor] });
    const ownList = githubApi()
      .get(`${repoPath}/commits/${sha}/check-runs`)
      .query((query) => query.app_id === String(appId))
      .reply(200, { total_count: 0, check_runs: [] });
    const created: JsonBody[] = [];
    const scopes = [
      nockCodePipeline("GetPipeline", pipelineDefinition()),
      nockCodePipeline("GetPipelineState", pipelineState()),
      nockCodePipeline("GetPipelineExecution", pipelineExecution()),
      nockRepoInstallation(),
      nockInstallationToken(),
      ownList,
      nockCreateCheckRun(created),
      nockPullRequestsForCommit(sha, []),
    ];

    await handle(sqsMessage(approvalNotification()));

    expectAllDone(scopes);
    expect(created).toHaveLength(1);
  });
});
