import type { IncomingMessage, ServerResponse } from "node:http";
import type { QueueConsumer } from "../intake/create-queue-consumer.js";
import type { Metrics } from "./metrics.js";

export interface OpsDeps {
  consumer: QueueConsumer | undefined;
  metrics?: Metrics | undefined;
  /** A poll older than this makes the bridge not ready: long polls take 20 s. */
  maxPollAgeMs?: number;
  now?: () => number;
}

/** GET /health (the process answers), GET /ready (the consumer polls), GET /metrics (Prometheus). */
export function createOpsRoutes({
  consumer,
  metrics,
  maxPollAgeMs = 90_000,
  now = Date.now,
}: OpsDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const path = (req.url ?? "").split("?")[0];
    if (path === "/health") {
      return reply(res, 200, { status: "ok" });
    }
    if (path === "/ready") {
      const status = consumer?.status();
      const intake = !status
        ? "off"
        : status.running &&
            status.lastPollAt !== undefined &&
            now() - status.lastPollAt < maxPollAgeMs
          ? "polling"
          : "stalled";
      return reply(res, intake === "stalled" ? 503 : 200, {
        status: intake === "stalled" ? "not ready" : "ready",
        intake,
      });
    }
    if (path === "/metrics" && metrics) {
      res
        .writeHead(200, { "content-type": metrics.registry.contentType })
        .end(await metrics.registry.metrics());
      return true;
    }
    return false;
  };
}

function reply(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}
