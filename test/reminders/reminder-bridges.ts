import { SQSClient, type SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { composeBridge, type BridgeParts } from "../../src/compose-bridge.js";
import { createQueueConsumer, type QueueConsumer } from "../../src/intake/create-queue-consumer.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { startLocalSqs } from "../helpers/local-sqs.js";
import { createTestLog, TestOctokit } from "../helpers/probot.js";

export interface SentMessage {
  body: Record<string, unknown>;
  delaySeconds: number | undefined;
}

/**
 * Bridges wired exactly as production wires them (composeBridge), on one real SQS protocol server
 * (local-aws-sqs, which honours DelaySeconds): each with its own consumer on the same queue, as
 * replicas run. `now` is the queue path's clock, so a timer of days can be tested without waiting.
 */
export async function startReminderBridges() {
  const server = await startLocalSqs();
  const visibilityTimeoutSeconds = 5;
  const queueUrl = await server.createQueue({
    VisibilityTimeout: String(visibilityTimeoutSeconds),
  });
  const sent: SentMessage[] = [];
  const { log, lines, messages } = createTestLog();
  const clients: SQSClient[] = [];
  const consumers: QueueConsumer[] = [];
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  /** One replica: its own SQS client (whose sends are recorded), Probot and handler. */
  async function bridge(): Promise<BridgeParts> {
    const sqs = new SQSClient({ region: "us-east-1", endpoint: server.endpoint, maxAttempts: 1 });
    sqs.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === "SendMessageCommand") {
          const input = args.input as SendMessageCommandInput;
          sent.push({
            body: JSON.parse(input.MessageBody ?? "{}") as Record<string, unknown>,
            delaySeconds: input.DelaySeconds,
          });
        }
        return next(args);
      },
      { step: "initialize", name: "recordSends" },
    );
    clients.push(sqs);
    return composeBridge(
      testConfig({
        queue: {
          url: queueUrl,
          region: "us-east-1",
          batchSize: 1,
          maxInHand: 1,
          visibilityTimeoutSeconds,
          waitTimeSeconds: 1,
        },
      }),
      {
        pipelines: createTestPipelineGateway(),
        Octokit: TestOctokit,
        log,
        sqs,
        queueTiming: { now, recheckAfterMs: 60_000, retry: { baseDelayMs: 20 } },
      },
    );
  }

  return {
    queueUrl,
    sent,
    lines,
    messages,
    bridge,
    /** Starts a consumer for a bridge: at most one message in hand, so replicas share the work. */
    consume(parts: BridgeParts) {
      const sqs = new SQSClient({ region: "us-east-1", endpoint: server.endpoint, maxAttempts: 1 });
      clients.push(sqs);
      const consumer = createQueueConsumer({
        queueUrl,
        sqs,
        handle: parts.handleMessage,
        log,
        batchSize: 1,
        maxInHand: 1,
        visibilityTimeoutSeconds,
        waitTimeSeconds: 1,
        stopTimeoutMs: 10_000,
      });
      consumers.push(consumer);
      consumer.start();
      return consumer;
    },
    send: (body: unknown) => server.send(queueUrl, JSON.stringify(body)),
    count: () => server.count(queueUrl),
    receive: () => server.receive(queueUrl),
    /** Moves the queue path's clock. */
    advance(ms: number) {
      offsetMs += ms;
    },
    now,
    async stop() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      for (const client of clients) client.destroy();
      await server.stop();
    },
  };
}

/** Polls until `check` holds, or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
