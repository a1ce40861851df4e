import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createRequestHandler } from "local-aws-sqs";
import { CallCounter, clock, sleep } from "./serve-fake.js";

type SqsService = ReturnType<typeof createRequestHandler>["service"];
type Queue = SqsService["Queues"][number];

/** The bench's own requests (sending the load) are neither delayed nor counted. */
const driverAgent = "bench-driver";

/**
 * SQS from the npm package local-aws-sqs, on 127.0.0.1, with the simulated latency on every call
 * the app makes. One change to its behaviour: local-aws-sqs holds a long poll until the batch is
 * full or WaitTimeSeconds has passed, where SQS answers as soon as messages are available
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html),
 * so the queue's receive is wrapped to answer with what is visible as soon as anything is.
 */
export async function startFakeSqs(latencyMs: () => number) {
  const calls = new CallCounter();
  const { service, requestHandler } = createRequestHandler({
    port: 0,
    hostname: "127.0.0.1",
    emulateQueueCreationLifecycle: false,
  });
  const server = createServer((req, res) => {
    const fromDriver = String(req.headers["user-agent"] ?? "").includes(driverAgent);
    if (!fromDriver) {
      calls.add(String(req.headers["x-amz-target"] ?? "unknown").replace(/^AmazonSQS\./, ""));
    }
    const handleNow = () => void requestHandler(req, res);
    if (fromDriver) handleNow();
    else setTimeout(handleNow, latencyMs());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  service.PORT = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${service.PORT}`;
  const driver = new SQSClient({
    region: "us-east-1",
    endpoint: url,
    customUserAgent: driverAgent,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  let queues = 0;

  return {
    url,
    calls,
    /** A new queue (names are never reused), with SQS's prompt long poll. */
    async createQueue(): Promise<string> {
      const name = `approvals-${process.pid}-${(queues += 1)}`;
      const { QueueUrl } = await driver.send(
        new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: "120" } }),
      );
      const queue = service.Queues.find((candidate) => candidate.QueueName === name);
      if (!QueueUrl || !queue) throw new Error("the fake SQS did not create the queue");
      answerPromptly(queue);
      return QueueUrl;
    },
    /** Sends bodies in batches of 10; resolves with the time each became visible. */
    async send(queueUrl: string, bodies: string[]): Promise<number[]> {
      const visibleAt: number[] = [];
      for (let start = 0; start < bodies.length; start += 10) {
        const batch = bodies.slice(start, start + 10);
        await driver.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((body, index) => ({ Id: String(index), MessageBody: body })),
          }),
        );
        const at = clock();
        for (let index = 0; index < batch.length; index += 1) visibleAt.push(at);
      }
      return visibleAt;
    },
    /** Messages on a queue, visible or in flight: 0 once the app has handled and deleted all. */
    remaining(queueUrl: string): number {
      const name = queueUrl.split("/").at(-1);
      const queue = service.Queues.find((candidate) => candidate.QueueName === name);
      if (!queue) return 0;
      const attributes = queue.getAttributes(["ApproximateNumberOfMessages"]) as Record<
        string,
        string | undefined
      >;
      return Number(attributes.ApproximateNumberOfMessages ?? 0);
    },
    async close() {
      driver.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerPromptly(queue: Queue) {
  const receive = queue.receive.bind(queue);
  queue.receive = async (params: Record<string, unknown>) => {
    const waitMs = Number(params.WaitTimeSeconds ?? queue.ReceiveMessageWaitTimeSeconds) * 1000;
    const deadline = clock() + waitMs;
    for (;;) {
      const visible = visibleCount(queue);
      if (visible > 0 || clock() >= deadline) {
        const max = Number(params.MaxNumberOfMessages ?? 1);
        return receive({
          ...params,
          WaitTimeSeconds: 0,
          MaxNumberOfMessages: Math.max(1, Math.min(max, visible)),
        });
      }
      await sleep(5);
    }
  };
}

function visibleCount(queue: Queue): number {
  const attributes = queue.getAttributes([
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
  ]) as Record<string, string | undefined>;
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) -
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}
