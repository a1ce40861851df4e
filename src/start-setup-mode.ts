import { run } from "probot";
import { SmeeClient } from "smee-client";
import { withoutEmptyValues, type Config } from "./config.js";

/** The GitHub webhook URL to register: the smee channel in development, else the public address. */
export function manifestWebhookUrl(config: Config): string | undefined {
  if (config.webhookProxyUrl) return config.webhookProxyUrl;
  if (config.publicUrl) return new URL(config.webhookPath, config.publicUrl).href;
  return undefined;
}

/**
 * Probot's setup page (no APP_ID yet): it registers the app from app.yml and writes APP_ID,
 * PRIVATE_KEY and WEBHOOK_SECRET to .env. Probot builds the manifest's webhook URL from
 * process.env.WEBHOOK_PROXY_URL only (otherwise `http://<host>/`, which is neither reachable by
 * GitHub nor the webhook path), so the URL chosen here is handed over through that variable; the
 * server itself gets an environment without it, since there are no webhooks to forward before the
 * app exists. Without either URL, Probot creates a smee.io channel as in every Probot app.
 * https://probot.github.io/docs/development/#configuring-a-github-app
 */
export async function startSetupMode(config: Config, env: NodeJS.ProcessEnv = process.env) {
  const hookUrl = manifestWebhookUrl(config);
  if (hookUrl) process.env.WEBHOOK_PROXY_URL = hookUrl;
  const serverEnv = withoutEmptyValues(env);
  delete serverEnv.WEBHOOK_PROXY_URL;
  return run(() => {}, {
    env: serverEnv,
    // The installed smee-client, so Probot does not fetch its own copy with npx.
    SmeeClient: { createChannel: () => SmeeClient.createChannel() },
  });
}
