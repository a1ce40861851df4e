import { afterEach, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../src/start-bridge.js";
import {
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
} from "./fixtures/codepipeline.js";
import { buttonClick } from "./fixtures/github.js";
import { postWebhook, testConfig } from "./helpers/bridge.js";
import { createTestPipelineGateway, nockCodePipeline } from "./helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockListCheckRuns,
  nockPermission,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "./helpers/github-api.js";
import { nockPullRequestsForCommit } from "./helpers/github-conversation-api.js";
import { nockNoPolicy } from "./helpers/github-policy-api.js";
import { startLocalSqs } from "./helpers/local-sqs.js";
import { createTestLog, TestOctokit } from "./helpers/probot.js";

let bridge: Bridge | undefined;
afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
});

describe("the running bridge", () => {
  it("decides an approval from a signed webhook posted to the real HTTP server", async () => {
    bridge = await startBridge(testConfig(), {
      Octokit: TestOctokit,
      pipelines: createTestPipelineGateway(),
      log: createTestLog().log,
    });
    const put: Record<string, unknown>[] = [];
    const updates: JsonBody[] = [];
    const scopes = [
      nockInstallationToken(),
      ...nockNoPolicy(),
      nockPermission("alice", "maintain"),
      nockCodePipeline("PutApprovalResult", { approvedAt: 1764331200 }, { requests: put }),
      nockUpdateCheckRun(9001, updates),
      nockPullRequestsForCommit(sha, []),
    ];

    const response = await postWebhook(bridge.port, "check_run", buttonClick());

    expect(response.status).toBe(200);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(put[0]).toMatchObject({ result: { status: "Approved" } });
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("refuses a badly signed webhook with no side effect", async () => {
    bridge = await startBridge(testConfig(), {
      Octokit: TestOctokit,
      pipelines: createTestPipelineGateway(),
      log: createTestLog().log,
    });
    const anyGitHub = githubApi()
      .persist()
      .post(/.*/)
      .reply(200, {})
      .patch(/.*/)
      .reply(200, {})
      .get(/.*/)
      .reply(200, {});

    const response = await postWebhook(bridge.port, "check_run", buttonClick(), "not-the-secret");

    expect(response.status).toBe(400);
    expect(anyGitHub.isDone()).toBe(false);
  });

  it("answers /health and /ready, and 404 elsewhere", async () => {
    bridge = await startBridge(testConfig(), {
      Octokit: TestOctokit,
      pipelines: createTestPipelineGateway(),
      log: createTestLog().log,
    });
    const base = `http://127.0.0.1:${bridge.port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: "ready", intake: "off" });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it("refuses to start with a private key that cannot sign", async () => {
    const config = testConfig();
    await expect(
      startBridge(
        { ...config, github: { ...config.github, privateKey: "not a key" } },
        { Octokit: TestOctokit, log: createTestLog().log },
      ),
    ).rejects.toThrow(/private key cannot sign a token/);
  });

  it("logs that intake is off without SQS_QUEUE_URL", async () => {
    const { log, messages } = createTestLog();
    bridge = await startBridge(testConfig(), { Octokit: TestOctokit, log });
    expect(messages().some((m) => m.startsWith("SQS_QUEUE_URL is not set: intake is off"))).toBe(
      true,
    );
  });

  it("on stop, finishes the batch in hand, deletes its messages and loses none", async () => {
    const sqsServer = await startLocalSqs();
    try {
      const queueUrl = await sqsServer.createQueue({ VisibilityTimeout: "2" });
      const shas = ["1", "2", "3"].map((digit) => digit.repeat(40));
      for (const commit of shas) {
        nockCodePipeline("GetPipelineState", pipelineState());
        nockCodePipeline(
          "GetPipelineExecution",
          pipelineExecution([{ name: "SourceArtifact", revisionId: commit }]),
        );
        nockListCheckRuns(commit, []);
        nockPullRequestsForCommit(commit, []);
        await sqsServer.send(queueUrl, JSON.stringify(approvalNotification()));
      }
      nockCodePipeline("GetPipeline", pipelineDefinition());
      nockRepoInstallation();
      nockInstallationToken();
      const created: string[] = [];
      // Slow GitHub: the stop arrives while all three messages are being handled.
      githubApi()
        .post(`${repoPath}/check-runs`, (body: JsonBody) => {
          created.push(String(body.head_sha));
          return true;
        })
        .times(3)
        .delay(400)
        .reply(201, { id: 1 });

      bridge = await startBridge(
        testConfig({
          queue: {
            url: queueUrl,
            region: "us-east-1",
            batchSize: 10,
            maxInHand: 500,
            visibilityTimeoutSeconds: 30,
            waitTimeSeconds: 1,
          },
        }),
        {
          Octokit: TestOctokit,
          pipelines: createTestPipelineGateway(),
          sqs: sqsServer.sqs,
          log: createTestLog().log,
        },
      );
      await waitFor(() => (bridge?.consumer?.status().inFlight ?? 0) === 3);
      await bridge.stop();
      bridge = undefined;

      expect(created.sort()).toEqual(shas);
      // Past the visibility timeout, a message that was not deleted would be received again.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await sqsServer.receive(queueUrl)).toEqual([]);
    } finally {
      await sqsServer.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
