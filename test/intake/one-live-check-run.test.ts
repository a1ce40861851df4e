import type { Message } from "@aws-sdk/client-sqs";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { tokenOfExternalId } from "../../src/approvals/check-run-record.js";
import { createInstallationClients } from "../../src/github/installation-clients.js";
import { createQueueConsumer, type QueueConsumer } from "../../src/intake/create-queue-consumer.js";
import { createQueueMessageHandler } from "../../src/intake/handle-queue-message.js";
import {
  approvalNotification,
  pipelineDefinition,
  pipelineExecution,
  pipelineState,
  sha,
  snsEnvelope,
  sqsMessage,
  token,
} from "../fixtures/codepipeline.js";
import { approvalCheckRun } from "../fixtures/github.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { githubApi, repoPath, type JsonBody } from "../helpers/github-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import {
  appId,
  createTestLog,
  installationId,
  privateKey,
  TestOctokit,
} from "../helpers/probot.js";
import { waitFor } from "../queue/queue-harness.js";

/**
 * One live check run and one notice per approval and commit (docs/design.md), whatever the
 * delivery pattern: here the same notification reaches two bridges through one real SQS server,
 * and both list the commit's check runs before either creates one, the race a list-then-create
 * cannot see.
 */
interface FakeRun extends JsonBody {
  id: number;
}

/**
 * GitHub for octo-org/service, remembering what was written, with the first `holdLists` check-run
 * lists answered only once that many have arrived (so every bridge looks before any creates).
 */
function fakeGitHub({ holdLists = 0, holdCommentLists = 0 } = {}) {
  const runs: FakeRun[] = [];
  const comments: { id: number; body: string; user: object; performed_via_github_app: object }[] =
    [];
  const deleted: number[] = [];
  const barrier = (hold: number) => {
    const waiting: (() => void)[] = [];
    let arrived = 0;
    return async () => {
      arrived += 1;
      if (arrived > hold) return;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === hold) for (const release of waiting) release();
      });
    };
  };
  const runLists = barrier(holdLists);
  const counts = { runLists: 0 };
  const commentLists = barrier(holdCommentLists);
  const bot = { login: "codepipeline-approvals[bot]", type: "Bot" };
  githubApi()
    .persist()
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
    .get(`${repoPath}/installation`)
    .reply(200, { id: installationId })
    .get(new RegExp(`^${repoPath}/commits/${sha}/check-runs`))
    .reply(async () => {
      counts.runLists += 1;
      await runLists();
      return [200, { total_count: runs.length, check_runs: [...runs] }];
    })
    .post(`${repoPath}/check-runs`)
    .reply((_uri, body) => {
      const id = 9001 + runs.length;
      const run: FakeRun = {
        ...(body as JsonBody),
        id,
        html_url: `https://github.com/octo-org/service/runs/${id}`,
        started_at: "2026-11-28T11:00:00Z",
        app: { id: appId },
      };
      runs.push(run);
      return [201, run];
    })
    .patch(/^\/repos\/octo-org\/service\/check-runs\/\d+$/)
    .reply((uri, body) => {
      const run = runs.find((candidate) => candidate.id === Number(uri.split("/").at(-1)))!;
      Object.assign(run, body as JsonBody);
      return [200, run];
    })
    .get(new RegExp(`^${repoPath}/commits/${sha}/pulls`))
    .reply(200, [
      {
        number: 42,
        state: "open",
        head: { sha, ref: "feature" },
        base: { sha: "b".repeat(40), ref: "main" },
        merge_commit_sha: null,
      },
    ])
    .get(/^\/repos\/octo-org\/service\/issues\/42\/comments/)
    .reply(async () => {
      await commentLists();
      return [200, [...comments]];
    })
    .post(`${repoPath}/issues/42/comments`)
    .reply((_uri, body) => {
      const comment = {
        id: 5001 + comments.length + deleted.length,
        body: (body as { body: string }).body,
        user: bot,
        performed_via_github_app: { id: appId },
      };
      comments.push(comment);
      return [201, comment];
    })
    .delete(/^\/repos\/octo-org\/service\/issues\/comments\/\d+$/)
    .reply((uri) => {
      const id = Number(uri.split("/").at(-1));
      const index = comments.findIndex((comment) => comment.id === id);
      if (index < 0) return [404, { message: "Not Found" }];
      comments.splice(index, 1);
      deleted.push(id);
      return [204];
    });
  return { runs, comments, deleted, counts };
}

/** CodePipeline as the bridges read it for the notification, however often they ask. */
function nockIntakeReads() {
  const aws = nock("https://codepipeline.us-east-1.amazonaws.com").persist();
  const answers: [string, unknown][] = [
    ["GetPipeline", pipelineDefinition()],
    ["GetPipelineState", pipelineState()],
    ["GetPipelineExecution", pipelineExecution()],
  ];
  for (const [operation, reply] of answers) {
    aws
      .post("/")
      .matchHeader("x-amz-target", `CodePipeline_20150709.${operation}`)
      .reply(200, reply as nock.Body, { "content-type": "application/x-amz-json-1.1" });
  }
}

function bridgeHandler() {
  const { log } = createTestLog();
  const probot = new Probot({ appId, privateKey, Octokit: TestOctokit, log });
  return createQueueMessageHandler({
    pipelines: createTestPipelineGateway(),
    github: createInstallationClients(probot),
    log,
    appId,
    retry: { baseDelayMs: 20 },
  });
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  nock.cleanAll();
});

describe("one live check run and one notice per approval and commit", () => {
  it("leaves one run with buttons when two bridges on one SQS queue take the same notification at once", async () => {
    const github = fakeGitHub({ holdLists: 2 });
    nockIntakeReads();
    const sqs = await startLocalSqs();
    const queueUrl = await sqs.createQueue({ VisibilityTimeout: "30" });
    const handled: string[] = [];
    const consumers: QueueConsumer[] = ["one", "two"].map((name) => {
      const handle = bridgeHandler();
      const { log } = createTestLog();
      return createQueueConsumer({
        queueUrl,
        sqs: sqs.sqs,
        handle: async (message: Message) => {
          await handle(message);
          handled.push(name);
        },
        log,
        batchSize: 1,
        waitTimeSeconds: 1,
        visibilityTimeoutSeconds: 30,
        stopTimeoutMs: 10_000,
      });
    });
    stop = async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await sqs.stop();
    };
    const body = JSON.stringify(snsEnvelope(approvalNotification()));
    await sqs.send(queueUrl, body);
    await sqs.send(queueUrl, body);
    for (const consumer of consumers) consumer.start();

    await waitFor(() => handled.length === 2, 20_000);

    // Each bridge handled one delivery, and each created a run: the race happened.
    expect([...handled].sort()).toEqual(["one", "two"]);
    expect(github.runs.map((run) => run.id)).toEqual([9001, 9002]);
    expect(github.runs.every((run) => tokenOfExternalId(String(run.external_id)) === token)).toBe(
      true,
    );
    const [live, duplicate] = github.runs;
    expect(live).toMatchObject({ conclusion: "action_required" });
    expect(live!.actions).toHaveLength(2);
    expect(duplicate).toMatchObject({ conclusion: "neutral", actions: [] });
    const summary = String((duplicate!.output as JsonBody).summary);
    expect(summary).toContain("[check run 9001](https://github.com/octo-org/service/runs/9001)");
    // One notice, about the live run.
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain("check-run-9001");
  }, 30_000);

  it("shares one publication among concurrent deliveries in one process", async () => {
    const github = fakeGitHub();
    nockIntakeReads();
    const handle = bridgeHandler();
    const message = sqsMessage(snsEnvelope(approvalNotification()));

    await Promise.all([handle(message), handle({ ...message, MessageId: "second" })]);

    expect(github.runs).toHaveLength(1);
    expect(github.comments).toHaveLength(1);
    // One publication: its list before creating and its list after. A second would list again.
    expect(github.counts.runLists).toBe(2);
  });

  it("keeps one notice, the lowest id, when two bridges post it for the live run at once", async () => {
    // The first delivery created the run and stopped before its notice; two redeliveries, on two
    // bridges, both look for the notice before either posts it.
    const github = fakeGitHub({ holdCommentLists: 2 });
    github.runs.push({ ...approvalCheckRun(), started_at: "2026-11-28T11:00:00Z" });
    nockIntakeReads();
    const [one, two] = [bridgeHandler(), bridgeHandler()];
    const message = sqsMessage(snsEnvelope(approvalNotification()));

    await Promise.all([one(message), two({ ...message, MessageId: "second" })]);

    expect(github.runs).toHaveLength(1);
    expect(github.deleted).toEqual([5002]);
    expect(github.comments.map((comment) => comment.id)).toEqual([5001]);
    expect(github.comments[0]!.body).toContain("check-run-9001");
  });
});
