import type { Probot } from "probot";
import { httpEventSchema, type HttpResult } from "./lambda-events.schema.js";

/**
 * A GitHub webhook delivered through API Gateway or a function URL: the signature is verified over
 * the raw body (decoded first when API Gateway base64-encodes it), as the HTTP server's Probot
 * middleware does. One difference: that middleware answers a handler failure with the status of
 * the error inside it (a GitHub 422 met by a handler answers 422), here it is always 500. Either
 * way GitHub marks the delivery failed and it can be redelivered.
 */
export async function handleWebhookEvent(probot: Probot, event: unknown): Promise<HttpResult> {
  const parsed = httpEventSchema.safeParse(event);
  if (!parsed.success) return reply(400, "not an HTTP event");
  const headers = Object.fromEntries(
    Object.entries(parsed.data.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const body = parsed.data.isBase64Encoded
    ? Buffer.from(parsed.data.body ?? "", "base64").toString("utf8")
    : (parsed.data.body ?? "");
  const id = headers["x-github-delivery"];
  const name = headers["x-github-event"];
  const signature = headers["x-hub-signature-256"];
  if (!id || !name || !signature) {
    return reply(400, "missing x-github-delivery, x-github-event or x-hub-signature-256");
  }
  // Signature and payload are checked here rather than by verifyAndReceive: @octokit/webhooks wraps
  // those refusals and the app's own failures alike in an AggregateError, and a handler failure
  // (even one caused by a GitHub 400) must answer 5xx so the delivery shows as failed and can be
  // redelivered. https://docs.github.com/en/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks
  if (!(await probot.webhooks.verify(body, signature).catch(() => false))) {
    probot.log.warn({ deliveryId: id, event: name }, "webhook refused: bad signature");
    return reply(400, "signature does not match event payload and secret");
  }
  const payload = parseObject(body);
  if (!payload) return reply(400, "payload is not a JSON object");
  try {
    await probot.webhooks.receive({ id, name, payload } as Parameters<
      Probot["webhooks"]["receive"]
    >[0]);
    return reply(200, "ok");
  } catch (error) {
    probot.log.error({ err: error, deliveryId: id, event: name }, "webhook handling failed");
    return reply(500, "webhook handling failed; GitHub can redeliver it");
  }
}

function parseObject(body: string): object | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function reply(statusCode: number, message: string): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(statusCode === 200 ? { ok: true } : { error: message }),
  };
}
