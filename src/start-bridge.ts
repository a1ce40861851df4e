import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createNodeMiddleware, type Probot } from "probot";
import { composeBridge, type CompositionOverrides } from "./compose-bridge.js";
import type { Config, GitHubAppCredentials } from "./config.js";
import { createQueueConsumer, type QueueConsumer } from "./intake/create-queue-consumer.js";
import { createAwsSdkLogger } from "./ops/aws-sdk-logger.js";
import { createOpsRoutes } from "./ops/ops-routes.js";
import { routeProcessWarnings } from "./ops/route-process-warnings.js";
import { structuredLog } from "./ops/structured-log.js";
import { startWebhookProxy, type WebhookProxy } from "./start-webhook-proxy.js";

export interface Bridge {
  port: number;
  probot: Probot;
  consumer: QueueConsumer | undefined;
  stop(): Promise<void>;
}

/** Collaborators a test or benchmark swaps; production leaves them out. */
export interface BridgeOverrides extends CompositionOverrides {
  sqs?: SQSClient;
  /** The pause after a failed receive (10 s in production). */
  receiveFailurePauseMs?: number;
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
  const restoreWarnings = routeProcessWarnings(log);
  const webhooks = await createNodeMiddleware(app, { probot, webhooksPath: config.webhookPath });

  let consumer: QueueConsumer | undefined;
  if (config.queue) {
    consumer = createQueueConsumer({
      queueUrl: config.queue.url,
      sqs:
        overrides.sqs ??
        new SQSClient({ region: config.queue.region, logger: createAwsSdkLogger(log) }),
      batchSize: config.queue.batchSize,
      maxInHand: config.queue.maxInHand,
      visibilityTimeoutSeconds: config.queue.visibilityTimeoutSeconds,
      waitTimeSeconds: config.queue.waitTimeSeconds,
      log: structuredLog(log),
      handle: handleMessage,
      ...(overrides.receiveFailurePauseMs === undefined
        ? {}
        : { receiveFailurePauseMs: overrides.receiveFailurePauseMs }),
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
  const address = server.address() as AddressInfo;
  const port = address.port;
  log.info(`Listening on http://${config.host}:${port} (webhooks at ${config.webhookPath})`);
  let proxy: WebhookProxy | undefined;
  if (config.webhookProxyUrl) {
    if (config.production)
      log.warn("WEBHOOK_PROXY_URL is set in production: it is meant for development");
    proxy = await startWebhookProxy({
      source: config.webhookProxyUrl,
      target: `http://${loopbackHost(address)}:${port}${config.webhookPath}`,
      log,
    });
  }
  consumer?.start();

  return {
    port,
    probot,
    consumer,
    async stop() {
      await proxy?.stop();
      await consumer?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      restoreWarnings();
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

/** Where this process reaches its own server: a wildcard address means loopback. */
function loopbackHost({ address, family }: AddressInfo): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "[::1]";
  return family === "IPv6" ? `[${address}]` : address;
}
