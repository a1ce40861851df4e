import { createHmac, randomUUID } from "node:crypto";

/**
 * Delivers a webhook to a bridge listening on 127.0.0.1 the way GitHub does: the JSON body signed
 * with HMAC-SHA256 of its raw bytes (`x-hub-signature-256`), the event name and a delivery id.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * Shared by the tests and the benchmark's load driver (bench/world/drive.ts), so both speak the
 * same protocol; it imports nothing from either.
 */
export function deliverWebhook({
  port,
  event,
  payload,
  secret,
  path = "/api/github/webhooks",
}: {
  port: number;
  event: string;
  payload: unknown;
  secret: string;
  path?: string;
}): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signWebhook(body, secret),
    },
    body,
  });
}

/** GitHub's `x-hub-signature-256` for a raw body. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
