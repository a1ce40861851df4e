import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createNodeMiddleware, type Probot } from "probot";
import { composeBridge, type CompositionOverrides } from "./compose-bridge.js";
import type { Config, GitHubAppCredentials } from "./config.js";
import { createQueueConsumer, type QueueConsumer } from "./intake/create-queue-consumer.js";
import { createOpsRoutes } from "./ops/ops-routes.js";

export interface Bridge {
  port: number;
  probot: Probot;
  consumer: QueueConsumer | undefined;
  stop(): Promise<void>;
}

/** Collaborators a test or benchmark swaps; production leaves them out. */
export interface BridgeOverrides extends CompositionOverrides {
  sqs?: SQSClient;
}

/**
 * Starts the webhook server and, when a queue is configured, the intake consumer. `stop` stops
 * taking new work, lets the work in hand finish, then closes the server.
 */
export async function startBridge(
  config: Config & { github: GitHubAppCredentials },
  overrides: BridgeOverrides = {},
): Promise<Bridge> {
  const { probot, app, handleMessage, metrics } = await composeBridge(config, overrides);
  const log = probot.log;
  const webhooks = await createNodeMiddleware(app, { probot, webhooksPath: config.webhookPath });

  let consumer: QueueConsumer | undefined;
  if (config.queue) {
    consumer = createQueueConsumer({
      queueUrl: config.queue.url,
      sqs: overrides.sqs ?? new SQSClient({ region: config.queue.region }),
      batchSize: config.queue.batchSize,
      maxInHand: config.queue.maxInHand,
      visibilityTimeoutSeconds: config.queue.visibilityTimeoutSeconds,
      waitTimeSeconds: config.queue.waitTimeSeconds,
      log,
      handle: handleMessage,
    });
  } else {
    log.warn(
      "SQS_QUEUE_URL is not set: intake is off, so no new approvals reach GitHub (decisions on existing check runs still work)",
    );
  }

  const ops = createOpsRoutes({ consumer, metrics });
  const server = createServer((req, res) => {
    void (async () => {
      if (await ops(req, res)) return;
      await webhooks(req, res, () => {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      });
    })().catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  log.info(`Listening on http://${config.host}:${port} (webhooks at ${config.webhookPath})`);
  consumer?.start();

  return {
    port,
    probot,
    consumer,
    async stop() {
      await consumer?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function listen(server: Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
