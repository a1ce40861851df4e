import type { Logger } from "probot";
import { SmeeClient } from "smee-client";
import { errorFields } from "./ops/error-fields.js";

export interface WebhookProxy {
  stop(): Promise<void>;
}

/**
 * Development webhooks, as every Probot app does with WEBHOOK_PROXY_URL: smee-client listens to the
 * smee.io channel GitHub delivers to (server-sent events) and posts each delivery, headers and
 * signature included, to this server's webhook path. A channel that cannot be reached is logged
 * and retried by the client; the bridge keeps running.
 * https://probot.github.io/docs/development/#manually-configuring-a-github-app
 */
export async function startWebhookProxy({
  source,
  target,
  log,
}: {
  source: string;
  target: string;
  log: Logger;
}): Promise<WebhookProxy> {
  const proxyLog = log.child({ webhookProxyUrl: source });
  const client = new SmeeClient({
    source,
    target,
    logger: {
      info: (message: unknown) => proxyLog.debug(String(message)),
      error: (message: unknown, error?: unknown) =>
        proxyLog.warn(
          { error: errorFields(error ?? message) },
          "webhook proxy: the smee channel could not be read",
        ),
    },
  });
  try {
    await client.start();
    proxyLog.info({ target }, "forwarding webhooks from the smee channel");
  } catch (error) {
    proxyLog.warn(
      { error: errorFields(error) },
      "webhook proxy: cannot connect to the smee channel yet; retrying",
    );
  }
  return { stop: () => client.stop() };
}
