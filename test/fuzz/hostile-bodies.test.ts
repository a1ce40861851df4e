import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { readTrackedApproval } from "../../src/approvals/check-run-record.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import {
  createQueueMessageHandler,
  UnprocessableMessageError,
} from "../../src/intake/handle-queue-message.js";
import { startBridge, type Bridge } from "../../src/start-bridge.js";
import {
  actionExecutions,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  sqsMessage,
} from "../fixtures/codepipeline.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway, nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockRepoInstallation,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockDescribeCommits } from "../helpers/github-compare-api.js";
import { nockNoPolicy } from "../helpers/github-policy-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { appId, createTestLog, privateKey, TestOctokit } from "../helpers/probot.js";
import { nockNoPullRequests, waitFor } from "../queue/queue-harness.js";
import { hostileBodies, hostileCustomData, validHostileNotification } from "./hostile-bodies.js";

/** Counts every request to GitHub or AWS that no test interceptor expected. */
function trapUnexpectedCalls() {
  const calls: string[] = [];
  const record = (uri: string) => {
    calls.push(uri);
    return [500, { message: "unexpected call" }] as [number, JsonBody];
  };
  for (const host of ["https://api.github.com", "https://codepipeline.us-east-1.amazonaws.com"]) {
    nock(host).persist().get(/.*/).reply(record).post(/.*/).reply(record).patch(/.*/).reply(record);
  }
  return calls;
}

describe("fuzz: hostile queue bodies", () => {
  it(`has at least 50 hostile bodies (${hostileBodies.length})`, () => {
    expect(hostileBodies.length).toBeGreaterThanOrEqual(50);
    expect(new Set(hostileBodies.map((b) => b.name)).size).toBe(hostileBodies.length);
  });

  it.each(hostileBodies.map((hostile) => [hostile.name, hostile] as const))(
    "%s: no call to GitHub or AWS, and the expected queue outcome",
    async (_name, hostile) => {
      const calls = trapUnexpectedCalls();
      const { log, lines } = createTestLog();
      const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
      const handle = createQueueMessageHandler({
        pipelines: createTestPipelineGateway(),
        github: createInstallationClients(probot),
        log,
        appId,
      });

      const outcome = await handle(sqsMessage(hostile.body)).then(
        () => "acknowledge",
        (error: unknown) => {
          expect(error).toBeInstanceOf(UnprocessableMessageError);
          return "dead-letter";
        },
      );

      expect(outcome).toBe(hostile.expect);
      expect(calls).toEqual([]);
      const errors = lines.filter((line) => Number(line.level) >= 50);
      expect(errors).toHaveLength(hostile.expect === "dead-letter" ? 1 : 0);
      // One short line: the reason and zod's issues, never the hostile body itself.
      for (const line of lines) expect(JSON.stringify(line).length).toBeLessThan(20_000);
    },
  );
});

describe("fuzz: the running bridge keeps serving through hostile bodies", () => {
  let bridge: Bridge | undefined;
  let sqsServer: Awaited<ReturnType<typeof startLocalSqs>> | undefined;
  afterEach(async () => {
    await bridge?.stop();
    await sqsServer?.stop();
    bridge = undefined;
    sqsServer = undefined;
  });

  it("dead-letters every malformed body, publishes the one valid approval once, with its custom data escaped", async () => {
    sqsServer = await startLocalSqs();
    const deadLetterUrl = await sqsServer.createQueue();
    const { Attributes } = await sqsServer.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ["QueueArn"] }),
    );
    const queueUrl = await sqsServer.createQueue({
      VisibilityTimeout: "2",
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes?.QueueArn,
        maxReceiveCount: "1",
      }),
    });
    for (const hostile of hostileBodies) await sqsServer.send(queueUrl, hostile.body);
    await sqsServer.send(queueUrl, validHostileNotification);

    nockCodePipeline("GetPipeline", pipelineDefinition());
    nockCodePipeline("GetPipelineState", pipelineState());
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    // Who may decide and what changed (issue 16): no policy file, the first release.
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "InProgress" }]));
    nockNoPolicy();
    nockDescribeCommits([]);
    nockRepoInstallation();
    nockInstallationToken();
    nockNoPullRequests();
    // Before creating, and after (publish-approval.ts: the lowest id is the live run; the run
    // just created counts even when the list does not show it yet).
    githubApi()
      .get(`${repoPath}/commits/${sha}/check-runs`)
      .query(true)
      .times(2)
      .reply(200, { total_count: 0, check_runs: [] });
    const created: JsonBody[] = [];
    githubApi()
      .post(`${repoPath}/check-runs`, (body: JsonBody) => {
        created.push(body);
        return true;
      })
      .reply(201, (_uri, body) => ({ id: 9001, head_sha: sha, ...(body as JsonBody) }));
    const unexpected = trapUnexpectedCalls();

    const { log, lines } = createTestLog();
    bridge = await startBridge(
      testConfig({
        queue: {
          url: queueUrl,
          region: "us-east-1",
          batchSize: 10,
          maxInHand: 500,
          visibilityTimeoutSeconds: 2,
          waitTimeSeconds: 1,
        },
      }),
      { Octokit: TestOctokit, pipelines: createTestPipelineGateway(), sqs: sqsServer.sqs, log },
    );

    const deadLetters = hostileBodies.filter((b) => b.expect === "dead-letter").length;
    await waitFor(
      async () => (await sqsServer!.count(deadLetterUrl)).visible === deadLetters,
      20_000,
    );
    await waitFor(async () => {
      const { visible, inFlight } = await sqsServer!.count(queueUrl);
      return visible === 0 && inFlight === 0;
    });

    expect(unexpected).toEqual([]);
    expect(created).toHaveLength(1);
    const base = `http://127.0.0.1:${bridge.port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toMatchObject({ intake: "polling" });
    expect(
      lines.filter((line) => line.msg === "unprocessable message left for the dead-letter queue"),
    ).toHaveLength(deadLetters);

    const checkRun = created[0]!;
    const summary = String((checkRun.output as { summary: string }).summary);
    expect(summary).not.toMatch(
      /<script|<img|<!--|\]\(javascript:|!\[x\]\(|@octo-org\/admins|@everyone/,
    );
    expect(summary).toContain("&lt;script&gt;");
    expect(summary).toContain("@\u200docto\\-org/admins");
    const readBack = readTrackedApproval({
      id: 9001,
      name: String(checkRun.name),
      head_sha: sha,
      external_id: String(checkRun.external_id),
      output: checkRun.output as { text: string },
    });
    expect(readBack?.approval.customData).toBe(hostileCustomData);
    expect(readBack?.record.resolution).toEqual({ kind: "pending" });
  });
});
