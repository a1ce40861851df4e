import { afterEach, describe, expect, it } from "vitest";
import {
  actionExecutions,
  pipelineDefinition,
  pipelineExecution,
} from "../fixtures/codepipeline.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  githubApi,
  nockInstallationToken,
  nockRepoInstallation,
  nockUpdateCheckRun,
  repoPath,
  type JsonBody,
} from "../helpers/github-api.js";
import {
  checkRunOf,
  nockCheckRunsOf,
  stateChangeEvent,
} from "../lifecycle/state-change-fixtures.js";
import { startQueueHarness, waitFor, type QueueHarness } from "./queue-harness.js";

let harness: QueueHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Everything one SUCCEEDED event reads on the way to its check run (console approval). */
function nockConsoleApprovalReads({ times = 1 } = {}) {
  nockCodePipeline("GetPipeline", pipelineDefinition());
  nockRepoInstallation();
  nockInstallationToken();
  for (let i = 0; i < times; i += 1) {
    nockCodePipeline("GetPipelineExecution", pipelineExecution());
    nockCheckRunsOf([checkRunOf()]);
    nockCodePipeline("ListActionExecutions", actionExecutions([{ status: "Succeeded" }]));
  }
}

function errorLines(h: QueueHarness) {
  return h.lines.filter((line) => Number(line.level) >= 50);
}

const patchPath = `${repoPath}/check-runs/9001`;
const empty = { visible: 0, inFlight: 0 };

describe("queue: a message is deleted only after its work succeeded", () => {
  it("deletes a state-change message once its check run is in line", async () => {
    harness = await startQueueHarness();
    nockConsoleApprovalReads();
    const updates: JsonBody[] = [];
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(async () => updates.length === 1 && (await harness!.count()).visible === 0);
    await waitFor(async () => (await harness!.count()).inFlight === 0);
    expect(updates[0]).toMatchObject({ conclusion: "success" });
  });

  it("repeats the work after a GitHub 500 inside the handler, then deletes the message", async () => {
    harness = await startQueueHarness();
    nockConsoleApprovalReads({ times: 2 });
    const updates: JsonBody[] = [];
    githubApi().patch(patchPath).reply(500, { message: "Server Error" });
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(async () => updates.length === 1);
    await waitFor(async () => JSON.stringify(await harness!.count()) === JSON.stringify(empty));
    const retries = harness.lines.filter(
      (line) => line.msg === "transient failure; retrying the message's work",
    );
    expect(retries).toEqual([expect.objectContaining({ why: "GitHub 500", attempt: 1 })]);
    expect(harness.messages()).not.toContain(
      "transient failure persisted; message left on the queue for redelivery after the visibility timeout",
    );
  });

  it("leaves the message for redelivery when a transient failure outlasts the handler's retries, and the redelivery completes it", async () => {
    harness = await startQueueHarness({
      retry: { attempts: 2, baseDelayMs: 20 },
      visibilityTimeoutSeconds: 1,
    });
    nockConsoleApprovalReads({ times: 3 });
    const updates: JsonBody[] = [];
    githubApi().patch(patchPath).times(2).reply(502, { message: "Bad Gateway" });
    nockUpdateCheckRun(9001, updates);
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(async () => updates.length === 1);
    await waitFor(async () => JSON.stringify(await harness!.count()) === JSON.stringify(empty));
    const gaveUp = harness.lines.filter(
      (line) =>
        line.msg ===
        "transient failure persisted; message left on the queue for redelivery after the visibility timeout",
    );
    expect(gaveUp).toEqual([
      expect.objectContaining({ why: "GitHub 502", attempts: 2, receiveCount: 1 }),
    ]);
    expect(
      harness.lines.find((line) => line.msg === "check run brought in line with CodePipeline"),
    ).toMatchObject({ receiveCount: 2 });
  });

  it("moves a poison message to the dead-letter queue after maxReceiveCount, with one log line per receive and no GitHub or AWS call", async () => {
    harness = await startQueueHarness({ maxReceiveCount: 2, visibilityTimeoutSeconds: 1 });
    const anyGitHub = githubApi().persist().get(/.*/).reply(500).post(/.*/).reply(500);
    await harness.send('{"Type":"Notification","Message":"{\\"approval\\":');
    harness.startConsumer();

    await waitFor(async () => (await harness!.count(harness!.deadLetterUrl)).visible === 1);
    expect(await harness.count()).toEqual(empty);
    expect(anyGitHub.isDone()).toBe(false);
    const errors = errorLines(harness);
    expect(errors).toEqual([
      expect.objectContaining({
        msg: "unprocessable message left for the dead-letter queue",
        reason: "the body is not JSON",
        receiveCount: 1,
      }),
      expect.objectContaining({
        msg: "unprocessable message left for the dead-letter queue",
        receiveCount: 2,
      }),
    ]);
  });

  it("does not repeat a permanent GitHub failure inside the handler; the message ends in the dead-letter queue", async () => {
    harness = await startQueueHarness({ maxReceiveCount: 2, visibilityTimeoutSeconds: 1 });
    nockConsoleApprovalReads({ times: 2 });
    const patches = githubApi()
      .patch(patchPath)
      .times(2)
      .reply(422, { message: "Invalid request: conclusion" });
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(async () => (await harness!.count(harness!.deadLetterUrl)).visible === 1);
    expect(patches.isDone()).toBe(true);
    expect(errorLines(harness)).toEqual([
      expect.objectContaining({
        msg: "message failed; left on the queue: it is redelivered after the visibility timeout and moves to the dead-letter queue after maxReceiveCount",
        why: "GitHub 422: Invalid request: conclusion",
        receiveCount: 1,
      }),
      expect.objectContaining({ why: "GitHub 422: Invalid request: conclusion", receiveCount: 2 }),
    ]);
    expect(harness.messages()).not.toContain("transient failure; retrying the message's work");
  });
});

describe("queue: messages that need no work are acknowledged with advice", () => {
  it("deletes an SNS SubscriptionConfirmation and unrelated CodePipeline events, each with an info line saying what to do", async () => {
    harness = await startQueueHarness();
    const anyCall = githubApi().persist().get(/.*/).reply(500);
    await harness.send({
      Type: "SubscriptionConfirmation",
      MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
      Token: "2336412f37",
      TopicArn: "arn:aws:sns:us-east-1:123456789012:pipeline-approvals",
      Message: "You have chosen to subscribe to the topic",
      SubscribeURL:
        "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:pipeline-approvals&Token=2336412f37",
      Timestamp: "2026-11-28T11:09:40.068Z",
    });
    await harness.send(
      stateChangeEvent("SUCCEEDED", { detailType: "CodePipeline Pipeline Execution State Change" }),
    );
    await harness.send(stateChangeEvent("SUCCEEDED", { category: "Build" }));
    harness.startConsumer();

    await waitFor(async () => JSON.stringify(await harness!.count()) === JSON.stringify(empty));
    expect(anyCall.isDone()).toBe(false);
    expect(
      harness.lines.filter((line) => line.level === 30 && /acknowledged/.test(String(line.msg))),
    ).toHaveLength(3);
    expect(harness.messages()).toEqual(
      expect.arrayContaining([
        "SNS subscription confirmation acknowledged: if the subscription shows as pending in the SNS console, confirm it there; nothing else to do",
        "message acknowledged without action; if such messages keep coming, narrow the EventBridge rule to Approval action state changes (README, Operations)",
      ]),
    );
    expect(errorLines(harness)).toEqual([]);
  });
});

describe("queue: long work and shutdown", () => {
  it("keeps extending a long-running message's visibility, so no other consumer gets it and it is handled once", async () => {
    harness = await startQueueHarness({ visibilityTimeoutSeconds: 2 });
    nockConsoleApprovalReads();
    const updates: JsonBody[] = [];
    githubApi()
      .patch(patchPath, (body: JsonBody) => {
        updates.push(body);
        return true;
      })
      .delay(3500)
      .reply(200, { id: 9001 });
    await harness.send(stateChangeEvent("SUCCEEDED"));
    harness.startConsumer();

    await waitFor(() => (harness!.consumer?.status().inFlight ?? 0) === 1);
    const received = Date.now();
    // Past the 2 s visibility timeout: without the heartbeat, SQS would hand it out again.
    await waitFor(() => Date.now() - received > 2800);
    expect(await harness.peek()).toEqual([]);

    await waitFor(async () => JSON.stringify(await harness!.count()) === JSON.stringify(empty));
    expect(updates).toHaveLength(1);
    expect(
      harness.lines.filter((line) => line.msg === "check run brought in line with CodePipeline"),
    ).toHaveLength(1);
    expect(harness.sqsCalls).toContain("ChangeMessageVisibilityBatch");
  });

  it("deletes a finished message while its failed batch-mate stays on the queue", async () => {
    harness = await startQueueHarness({ batchSize: 10 });
    await harness.send("not json");
    await harness.send({
      Type: "UnsubscribeConfirmation",
      TopicArn: "arn:aws:sns:us-east-1:123456789012:pipeline-approvals",
    });
    harness.startConsumer();

    // The failed one comes back after the visibility timeout; the deleted one never does. (Counted
    // from the log: local-aws-sqs can keep counting a deleted batch-mate of a failed message as
    // in flight.)
    const notJson = () =>
      harness!.lines.filter((line) => line.reason === "the body is not JSON").length;
    await waitFor(() => notJson() >= 2);
    expect(
      harness.lines
        .filter((line) => line.type === "UnsubscribeConfirmation")
        .map((line) => line.receiveCount),
    ).toEqual([1]);
    expect(harness.messages()).toContain(
      "SNS unsubscribe confirmation acknowledged: this queue no longer receives the topic's approval notifications; re-subscribe it if that was not intended",
    );
  });
});
