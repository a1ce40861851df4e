import type { IncomingMessage, ServerResponse } from "node:http";
import type { QueueConsumer, QueueConsumerStatus } from "../intake/create-queue-consumer.js";
import type { Metrics } from "./metrics.js";

export interface OpsDeps {
  consumer: QueueConsumer | undefined;
  metrics?: Metrics | undefined;
  /** A poll older than this makes the bridge not ready: long polls take 20 s. */
  maxPollAgeMs?: number;
  now?: () => number;
}

/**
 * GET /health (the process answers), GET /ready (the consumer polls), GET /metrics (Prometheus).
 * docs/operations.md ("Health") lists what /ready answers.
 */
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
      const intake = intakeState(consumer?.status(), now(), maxPollAgeMs);
      const ready = intake === "off" || intake === "polling";
      return reply(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", intake });
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

/**
 * `starting`: no receive has succeeded yet; `failing`: every receive has failed for longer than one
 * long poll; `stalled`: nothing answered or left the hand for `maxPollAgeMs`.
 */
function intakeState(
  status: QueueConsumerStatus | undefined,
  at: number,
  maxPollAgeMs: number,
): "off" | "stopped" | "starting" | "failing" | "stalled" | "polling" {
  if (!status) return "off";
  if (!status.running) return "stopped";
  if (status.lastPollAt === undefined)
    return status.failingSince === undefined ? "starting" : "failing";
  if (!status.ready) return "failing";
  return at - status.lastPollAt < maxPollAgeMs ? "polling" : "stalled";
}

function reply(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}
