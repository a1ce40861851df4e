import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../../src/start-bridge.js";
import { testConfig } from "../helpers/bridge.js";
import { createTestPipelineGateway } from "../helpers/codepipeline-api.js";
import { createTestLog, TestOctokit } from "../helpers/probot.js";

/**
 * /ready against a real SQS protocol server (local-aws-sqs) that is running, stopped and started
 * again on the same port, as a queue endpoint that becomes unreachable would be.
 */
const queueName = `readiness-${process.pid}`;
let sqsServer: Server | undefined;
let bridge: Bridge | undefined;

async function startSqs(port = 0) {
  sqsServer = await createSqsServer({
    port,
    hostname: "127.0.0.1",
    queues: [{ QueueName: queueName }],
  });
  return (sqsServer.address() as AddressInfo).port;
}

async function stopSqs() {
  const server = sqsServer;
  sqsServer = undefined;
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

afterEach(async () => {
  await bridge?.stop();
  bridge = undefined;
  await stopSqs();
});

async function startWithQueue(port: number) {
  const { log, lines } = createTestLog();
  const queueUrl = `http://127.0.0.1:${port}/123456789012/${queueName}`;
  bridge = await startBridge(
    testConfig({
      queue: {
        url: queueUrl,
        region: "us-east-1",
        batchSize: 10,
        maxInHand: 10,
        visibilityTimeoutSeconds: 30,
        waitTimeSeconds: 1,
      },
    }),
    {
      Octokit: TestOctokit,
      pipelines: createTestPipelineGateway(),
      log,
      receiveFailurePauseMs: 200,
      sqs: new SQSClient({
        region: "us-east-1",
        endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1,
      }),
    },
  );
  const ready = async () => {
    const response = await fetch(`http://127.0.0.1:${bridge?.port}/ready`);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const linesSaying = (text: string) => lines.filter((line) => String(line.msg).includes(text));
  return { queueUrl, lines, ready, linesSaying };
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean) {
  const deadline = Date.now() + 15_000;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe("/ready", () => {
  it("is never ready while the queue's endpoint is down from the start, and says so in one line", async () => {
    const port = await startSqs();
    await stopSqs();
    const { queueUrl, ready, lines, linesSaying } = await startWithQueue(port);

    expect(await ready()).toEqual({
      status: 503,
      body: { status: "not ready", intake: expect.stringMatching(/^(starting|failing)$/) },
    });
    // Let several receives fail.
    await eventually(
      async () => linesSaying("receive from the queue failed").length,
      (count) => count >= 3,
    );
    expect(await ready()).toEqual({
      status: 503,
      body: { status: "not ready", intake: "failing" },
    });

    const warnings = linesSaying("intake not ready");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 40,
      queueUrl,
      error: { name: expect.any(String), message: expect.any(String) },
      hint: expect.stringMatching(/cannot be reached/),
    });
    // No stack traces and no raw error objects, however many polls failed.
    expect(
      lines.filter((line) => "err" in line || JSON.stringify(line).includes("    at ")),
    ).toEqual([]);
  });

  it("waits for the first receive, turns 503 when receiving fails longer than a long poll, and recovers", async () => {
    const port = await startSqs();
    const { queueUrl, ready, linesSaying } = await startWithQueue(port);

    await eventually(ready, (r) => r.status === 200);
    expect((await ready()).body).toEqual({ status: "ready", intake: "polling" });
    expect(linesSaying("intake ready: the first receive from the queue succeeded")).toHaveLength(1);

    await stopSqs();
    await eventually(ready, (r) => r.status === 503);
    expect((await ready()).body).toEqual({ status: "not ready", intake: "failing" });
    // The change is logged when /ready changes, once, however many receives fail after it.
    await eventually(
      async () => linesSaying("intake not ready").length,
      (count) => count === 1,
    );
    const failed = linesSaying("receive from the queue failed").length;
    await eventually(
      async () => linesSaying("receive from the queue failed").length,
      (count) => count >= failed + 3,
    );
    expect(linesSaying("intake not ready")).toEqual([
      expect.objectContaining({ queueUrl, hint: expect.any(String) }),
    ]);

    await startSqs(port);
    await eventually(ready, (r) => r.status === 200);
    expect(linesSaying("intake ready again")).toEqual([
      expect.objectContaining({ queueUrl, failedReceives: expect.any(Number) }),
    ]);
    expect(linesSaying("intake ready: the first receive")).toHaveLength(1);
  });
});
