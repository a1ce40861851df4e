import type { Message } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { createDeleteBatcher } from "../../src/intake/create-delete-batcher.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { createTestLog } from "../helpers/probot.js";
import { startQueueHarness, waitFor, type QueueHarness } from "./queue-harness.js";

let harness: QueueHarness | undefined;
let sqsServer: Awaited<ReturnType<typeof startLocalSqs>> | undefined;
afterEach(async () => {
  await harness?.stop();
  await sqsServer?.stop();
  harness = undefined;
  sqsServer = undefined;
});

const topicOf = (name: string) => `arn:aws:sns:us-east-1:123456789012:topic-${name}`;

/** A message the handler acknowledges without any GitHub or AWS call, told apart by its topic. */
const confirmation = (name: string) => ({
  Type: "SubscriptionConfirmation",
  TopicArn: topicOf(name),
});

const nameOf = (message: Message) =>
  String((JSON.parse(message.Body ?? "{}") as { TopicArn?: string }).TopicArn).replace(
    topicOf(""),
    "",
  );

/** The names of the messages handled to the end, in order. */
const acknowledged = (h: QueueHarness) =>
  h.lines
    .filter((line) => line.type === "SubscriptionConfirmation")
    .map((line) => String(line.topicArn).replace(topicOf(""), ""));

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("queue: the consumer keeps receiving while messages are in hand", () => {
  it("handles and deletes later messages while an earlier message's handler hangs", async () => {
    const slow = gate();
    harness = await startQueueHarness({
      wrapHandle: (handle) => async (message) => {
        if (nameOf(message) === "slow") await slow.opened;
        await handle(message);
      },
    });
    await harness.send(confirmation("slow"));
    harness.startConsumer();
    await waitFor(() => harness!.consumer?.status().inFlight === 1);

    for (const name of ["a", "b", "c"]) await harness.send(confirmation(name));
    await waitFor(() => acknowledged(harness!).length === 3);
    expect(acknowledged(harness)).toEqual(["a", "b", "c"]);
    // Deleted; only the hanging one is left, hidden and in hand.
    await waitFor(async () => (await harness!.count()).visible === 1);
    expect(await harness.count()).toEqual({ visible: 1, inFlight: 1 });
    expect(harness.consumer?.status().inFlight).toBe(1);

    slow.open();
    await waitFor(async () => (await harness!.count()).visible === 0);
    expect(acknowledged(harness)).toEqual(["a", "b", "c", "slow"]);
    expect(harness.consumer?.status().inFlight).toBe(0);
  });

  it("holds at most maxInHand messages: the rest wait on the queue, unreceived, until one is finished", async () => {
    const release = gate();
    let held = 0;
    let mostHeld = 0;
    harness = await startQueueHarness({
      batchSize: 10,
      maxInHand: 3,
      wrapHandle: (handle) => async (message) => {
        held += 1;
        mostHeld = Math.max(mostHeld, held);
        try {
          await release.opened;
          await handle(message);
        } finally {
          held -= 1;
        }
      },
    });
    for (const name of ["1", "2", "3", "4", "5"]) await harness.send(confirmation(name));
    harness.startConsumer();
    await waitFor(() => harness!.consumer?.status().inFlight === 3);
    const receives = harness.sqsCalls.filter((call) => call === "ReceiveMessage").length;

    // Longer than a long poll (1 s here): a consumer still receiving would have asked again.
    await sleep(1500);
    expect(harness.consumer?.status().inFlight).toBe(3);
    expect(await harness.count()).toEqual({ visible: 5, inFlight: 3 });
    expect(harness.sqsCalls.filter((call) => call === "ReceiveMessage")).toHaveLength(receives);

    release.open();
    await waitFor(async () => (await harness!.count()).visible === 0);
    expect([...acknowledged(harness)].sort()).toEqual(["1", "2", "3", "4", "5"]);
    expect(mostHeld).toBe(3);
  });

  it("deletes finished messages with DeleteMessageBatch, ten to a request", async () => {
    harness = await startQueueHarness({ batchSize: 10 });
    for (let n = 1; n <= 10; n += 1) await harness.send(confirmation(String(n)));
    harness.startConsumer();

    await waitFor(async () => (await harness!.count()).visible === 0);
    expect(acknowledged(harness)).toHaveLength(10);
    expect(harness.sqsCalls.filter((call) => call.startsWith("Delete"))).toEqual([
      "DeleteMessageBatch",
    ]);
  });

  it("logs a message SQS refused to delete once, by its messageId, and deletes its batch-mates", async () => {
    sqsServer = await startLocalSqs();
    const queueUrl = await sqsServer.createQueue();
    await sqsServer.send(queueUrl, "one");
    await sqsServer.send(queueUrl, "two");
    const received = await sqsServer.receive(queueUrl);
    expect(received).toHaveLength(2);
    const { log, lines } = createTestLog();
    const deletes = createDeleteBatcher({ sqs: sqsServer.sqs, queueUrl, log });

    const gone: Message = { MessageId: "gone", ReceiptHandle: "not-a-receipt-handle" };
    await Promise.all([...received, gone].map((message) => deletes.delete(message)));

    expect(await sqsServer.count(queueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([
      expect.objectContaining({
        msg: "SQS request about a message failed (a delete or a visibility extension); a message not deleted comes back and is handled again, idempotently",
        messageId: "gone",
        operation: "DeleteMessageBatch",
        code: "ReceiptHandleIsInvalid",
      }),
    ]);
  });
});

describe("queue: stopping a continuously receiving consumer", () => {
  it("cuts an idle 20 s long poll short", async () => {
    harness = await startQueueHarness({ waitTimeSeconds: 20 });
    harness.startConsumer();
    await waitFor(() => harness!.sqsCalls.includes("ReceiveMessage"));
    await sleep(200);

    const stopping = Date.now();
    await harness.consumer?.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
    expect(harness.consumer?.status().running).toBe(false);
    expect(harness.messages()).toContain("idle long poll cut short by the stop");
  });

  it("finishes the messages in hand, leaves those beyond the bound on the queue, and a restart handles them: none lost, none doubled", async () => {
    harness = await startQueueHarness({
      maxInHand: 2,
      visibilityTimeoutSeconds: 30,
      wrapHandle: (handle) => async (message) => {
        await sleep(300);
        await handle(message);
      },
    });
    for (const name of ["1", "2", "3", "4"]) await harness.send(confirmation(name));
    harness.startConsumer();
    await waitFor(() => harness!.consumer?.status().inFlight === 2);

    await harness.consumer?.stop();
    expect(acknowledged(harness)).toHaveLength(2);
    expect(await harness.count()).toEqual({ visible: 2, inFlight: 0 });
    expect(harness.lines.find((line) => line.msg === "intake stopped")).toMatchObject({
      unfinished: 0,
    });

    harness.startConsumer();
    await waitFor(async () => (await harness!.count()).visible === 0);
    expect([...acknowledged(harness)].sort()).toEqual(["1", "2", "3", "4"]);
  });
});
