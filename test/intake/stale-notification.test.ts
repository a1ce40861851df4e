import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  actionExecutions,
  approvalNotification,
  executionId,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sqsMessage,
  token,
} from "../fixtures/codepipeline.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  nockInstallationToken,
  nockRepoInstallation,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  checkRunOf,
  decidedOnGitHub,
  nockCheckRunsOf,
} from "../lifecycle/state-change-fixtures.js";

const consoleUser = "arn:aws:sts::123456789012:assumed-role/Admin/jane";

function setup() {
  const { log, messages } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  const handle = createQueueMessageHandler({
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    now: () => new Date("2026-11-30T10:00:00Z"),
  });
  return { handle, messages };
}

/**
 * The redelivered notification of an approval answered in the console: no longer pending, and
 * ListActionExecutions (unfiltered: the notification names no execution) finds its execution.
 */
function nockClosedApproval(listed: JsonBody[]) {
  return [
    nockCodePipeline("GetPipeline", pipelineDefinition()),
    nockCodePipeline("GetPipelineState", pipelineState({ status: "Succeeded" })),
    nockCodePipeline(
      "ListActionExecutions",
      actionExecutions([{ status: "Succeeded", updatedBy: consoleUser, executionId, token }]),
      { requests: listed },
    ),
    nockCodePipeline("GetPipelineExecution", pipelineExecution()),
  ];
}

describe("intake: a notification whose approval closed while a replica was publishing it", () => {
  it("closes the check run a replica created and left pending when it died before its recheck", async () => {
    const { handle, messages } = setup();
    const listed: JsonBody[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      ...nockClosedApproval(listed),
      nockRepoInstallation(),
      nockInstallationToken(),
      nockCheckRunsOf([checkRunOf()]),
      // The run's state, read as the lifecycle reads it: within its execution.
      nockCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "Succeeded", updatedBy: consoleUser }]),
        { requests: listed },
      ),
      nockUpdateCheckRun(9001, updates),
    ];

    await handle(sqsMessage(approvalNotification()));

    expectAllDone(scopes);
    expect(listed[0]).not.toHaveProperty("filter");
    expect(listed[1]).toMatchObject({ filter: { pipelineExecutionId: executionId } });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ conclusion: "success", actions: [] });
    expect(String((updates[0]!.output as JsonBody).text)).toContain("CodePipeline shows: approved");
    expect(messages().some((m) => m.includes("no longer pending"))).toBe(true);
  });

  it("leaves a check run already closed as it is, without asking CodePipeline again", async () => {
    const { handle } = setup();
    const scopes = [
      ...nockClosedApproval([]),
      nockRepoInstallation(),
      nockInstallationToken(),
      nockCheckRunsOf([checkRunOf({ resolution: decidedOnGitHub })]),
    ];
    // No update and no second ListActionExecutions is intercepted: either would fail the handler.
    await handle(sqsMessage(approvalNotification()));
    expectAllDone(scopes);
  });
});
