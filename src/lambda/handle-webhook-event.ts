import type { Probot } from "probot";
import { httpEventSchema, type HttpResult } from "./lambda-events.schema.js";

/**
 * A GitHub webhook delivered through API Gateway or a function URL: the signature is verified over
 * the raw body (decoded first when API Gateway base64-encodes it), exactly as the HTTP server does.
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
  try {
    await probot.webhooks.verifyAndReceive({
      id,
      name: name as Parameters<Probot["webhooks"]["verifyAndReceive"]>[0]["name"],
      signature,
      payload: body,
    });
    return reply(200, "ok");
  } catch (error) {
    const refused = clientErrorOf(error);
    if (refused) return reply(400, refused);
    probot.log.error({ err: error, deliveryId: id, event: name }, "webhook handling failed");
    return reply(500, "webhook handling failed; GitHub can redeliver it");
  }
}

/**
 * A bad signature or unparseable JSON (status 400), as its message; @octokit/webhooks may wrap it
 * in an AggregateError.
 */
function clientErrorOf(error: unknown): string | undefined {
  const candidates = [error, ...((error as { errors?: unknown[] }).errors ?? [])] as {
    status?: number;
    message?: string;
  }[];
  return candidates.find((candidate) => candidate.status === 400)?.message ?? undefined;
}

function reply(statusCode: number, message: string): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(statusCode === 200 ? { ok: true } : { error: message }),
  };
}
