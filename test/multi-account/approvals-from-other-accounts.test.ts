import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import { composeBridge } from "../../src/compose-bridge.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  actionExecutions,
  approvalNotification,
  executionId,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  snsEnvelope,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { approvalCheckRun, pendingApproval } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { expectAllDone } from "../helpers/expect-all-done.js";
import {
  githubApi,
  nockCreateCheckRun,
  nockInstallationToken,
  nockListCheckRuns,
  nockRepoInstallation,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockPullRequestsForCommit } from "../helpers/github-conversation-api.js";
import { testConfig } from "../helpers/bridge.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { fakeCheckRunsOf, stateChangeEvent } from "../lifecycle/state-change-fixtures.js";
import { startQueueHarness, waitFor, type QueueHarness } from "../queue/queue-harness.js";
import {
  homeAccount,
  nockAssumeRole,
  ownAccessKeyId,
  nockSignedCodePipeline,
  productionAccount,
  stagingAccount,
  stagingRole,
  productionRole,
  testAccounts,
  type Signed,
} from "./aws-api.js";

function notificationFrom(account: string, region: string) {
  const notification = { ...approvalNotification(), region };
  return {
    ...snsEnvelope(notification),
    TopicArn: `arn:aws:sns:${region}:${account}:pipeline-approvals`,
  };
}

function setup() {
  const { log, lines } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  const accounts = testAccounts();
  const handle = createQueueMessageHandler({
    pipelines: createTestPipelineGateway(accounts),
    github: createInstallationClients(probot),
    log,
    appId,
    accounts,
    settleMs: 0,
  });
  return { handle, lines };
}

let harness: QueueHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe("approvals from other AWS accounts, through the queue", () => {
  it("publishes a notification from a mapped account, read with its assumed role, on a check run that names the account", async () => {
    const { handle } = setup();
    const signed: Signed[] = [];
    const aws = [
      nockAssumeRole({ accessKeyId: "ASIASTAGING" }),
      nockSignedCodePipeline("GetPipeline", pipelineDefinition(), signed),
      nockSignedCodePipeline("GetPipelineState", pipelineState(), signed),
      nockSignedCodePipeline("GetPipelineExecution", pipelineExecution(), signed),
    ];
    const created: JsonBody[] = [];
    const github = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      nockCreateCheckRun(created),
      nockPullRequestsForCommit(sha, []),
    ];

    await handle(sqsMessage(notificationFrom(stagingAccount, "us-west-2")));

    expectAllDone([...aws, ...github]);
    expect(new Set(signed.map((call) => call.accessKeyId))).toEqual(new Set(["ASIASTAGING"]));
    expect(JSON.parse(String(created[0]!.external_id))).toMatchObject({
      account: stagingAccount,
      region: "us-west-2",
      executionId,
    });
    const summary = String((created[0]!.output as JsonBody).summary);
    expect(summary).toContain("| AWS account | Region |");
    expect(summary).toContain("| staging (`222222222222`) | `us-west-2` |");
  });

  it("takes a raw-delivered notification, which names no account, as the bridge's own account's", async () => {
    const { handle } = setup();
    const signed: Signed[] = [];
    const aws = [
      nockSignedCodePipeline("GetPipeline", pipelineDefinition(), signed, { region: "us-east-1" }),
      nockSignedCodePipeline("GetPipelineState", pipelineState(), signed, { region: "us-east-1" }),
      nockSignedCodePipeline("GetPipelineExecution", pipelineExecution(), signed, {
        region: "us-east-1",
      }),
    ];
    const created: JsonBody[] = [];
    const github = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      nockCreateCheckRun(created),
      nockPullRequestsForCommit(sha, []),
    ];

    await handle(sqsMessage(approvalNotification()));

    expectAllDone([...aws, ...github]);
    expect(new Set(signed.map((call) => call.accessKeyId))).toEqual(new Set([ownAccessKeyId]));
    expect(JSON.parse(String(created[0]!.external_id))).toMatchObject({ account: homeAccount });
  });

  it("is wired so in production: the configured accounts reach both the gateway and intake", async () => {
    const { handleMessage } = await composeBridge(testConfig({ awsAccounts: testAccounts() }), {
      Octokit: TestOctokit,
      log: createTestLog().log,
    });
    const signed: Signed[] = [];
    const aws = [
      nockAssumeRole({ accessKeyId: "ASIASTAGING" }),
      nockSignedCodePipeline("GetPipeline", pipelineDefinition(), signed),
      nockSignedCodePipeline("GetPipelineState", pipelineState(), signed),
      nockSignedCodePipeline("GetPipelineExecution", pipelineExecution(), signed),
    ];
    const created: JsonBody[] = [];
    const github = [
      nockRepoInstallation(),
      nockInstallationToken(),
      nockListCheckRuns(sha, []),
      nockCreateCheckRun(created),
      nockPullRequestsForCommit(sha, []),
    ];

    await handleMessage(sqsMessage(notificationFrom(stagingAccount, "us-west-2")));

    expectAllDone([...aws, ...github]);
    expect(signed.map((call) => call.accessKeyId)).toEqual([
      "ASIASTAGING",
      "ASIASTAGING",
      "ASIASTAGING",
    ]);
    expect(String((created[0]!.output as JsonBody).summary)).toContain(
      "| staging (`222222222222`) |",
    );
  });

  it("leaves a notification from an account with no role for the dead-letter queue, with one clear line per receive and no AWS or GitHub call", async () => {
    harness = await startQueueHarness({
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 1,
      pipelines: createTestPipelineGateway(testAccounts()),
    });
    const anyGitHub = githubApi().persist().get(/.*/).reply(500).post(/.*/).reply(500);
    await harness.send(notificationFrom("444444444444", "us-west-2"));
    harness.startConsumer();

    await waitFor(async () => (await harness!.count(harness!.deadLetterUrl)).visible === 1);
    expect(anyGitHub.isDone()).toBe(false);
    const why =
      "UnmappedAccountError: AWS account 444444444444 has no role in AWS_ACCOUNT_ROLES and is not the bridge's own (111111111111): its approvals are not read or answered (docs/multi-account.md)";
    expect(harness.lines.filter((line) => Number(line.level) >= 40)).toEqual([
      expect.objectContaining({ why, receiveCount: 1 }),
      expect.objectContaining({ why, receiveCount: 2 }),
    ]);
  });

  it("brings each account's check run in line with its own account's event, though the pipeline, commit and execution id are the same", async () => {
    const { handle } = setup();
    // Staging and production run a pipeline of the same name on the same commit.
    const approvalIn = (account: string): PendingApproval => ({
      ...pendingApproval,
      account,
      region: "us-west-2",
    });
    const staging = approvalIn(stagingAccount);
    const production = approvalIn(productionAccount);
    const github = fakeCheckRunsOf([
      approvalCheckRun({ approval: staging, record: newRecord(staging) }, 9001),
      approvalCheckRun({ approval: production, record: newRecord(production) }, 9002),
    ]);
    nockRepoInstallation();
    nockInstallationToken();
    const signed: Signed[] = [];
    const aws = [
      // Each role answers only for itself and each account's CodePipeline only to its key, so a
      // wrong role or a swapped client fails here instead of passing by interceptor order.
      nockAssumeRole({ roleArn: stagingRole, accessKeyId: "ASIASTAGING" }),
      nockAssumeRole({ roleArn: productionRole, accessKeyId: "ASIAPRODUCTION" }),
      ...["ASIASTAGING", "ASIAPRODUCTION"].flatMap((accessKeyId) => [
        nockSignedCodePipeline("GetPipeline", pipelineDefinition(), signed, { accessKeyId }),
        nockSignedCodePipeline("GetPipelineExecution", pipelineExecution(), signed, {
          accessKeyId,
        }),
      ]),
      nockSignedCodePipeline(
        "ListActionExecutions",
        actionExecutions([
          { status: "Succeeded", updatedBy: "arn:aws:iam::222222222222:user/sam" },
        ]),
        signed,
        { accessKeyId: "ASIASTAGING" },
      ),
      nockSignedCodePipeline(
        "ListActionExecutions",
        actionExecutions([{ status: "Failed", summary: "not today" }]),
        signed,
        { accessKeyId: "ASIAPRODUCTION" },
      ),
    ];
    const eventFrom = (account: string, state: string) => ({
      ...stateChangeEvent(state),
      account,
      region: "us-west-2",
    });

    await handle(sqsMessage(eventFrom(stagingAccount, "SUCCEEDED")));
    await handle(sqsMessage(eventFrom(productionAccount, "FAILED")));

    expectAllDone(aws);
    expect(github.updates.map(({ id, body }) => ({ id, conclusion: body.conclusion }))).toEqual([
      { id: 9001, conclusion: "success" },
      { id: 9002, conclusion: "failure" },
    ]);
    const calls = signed.map((call) => `${call.operation} ${call.accessKeyId}`);
    expect(calls).toEqual([
      expect.stringMatching(/ ASIASTAGING$/),
      expect.stringMatching(/ ASIASTAGING$/),
      "ListActionExecutions ASIASTAGING",
      expect.stringMatching(/ ASIAPRODUCTION$/),
      expect.stringMatching(/ ASIAPRODUCTION$/),
      "ListActionExecutions ASIAPRODUCTION",
    ]);
  });
});
