import type { Config } from "../../src/config.js";
import { deliverWebhook } from "./deliver-webhook.js";
import { appId, privateKey, webhookSecret } from "./probot.js";

export function testConfig(
  overrides: Partial<Config> = {},
): Config & { github: NonNullable<Config["github"]> } {
  return {
    github: { appId, privateKey, webhookSecret },
    githubBaseUrl: "https://api.github.com",
    webhookPath: "/api/github/webhooks",
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    logFormat: "json",
    production: false,
    queue: undefined,
    ...overrides,
  } as Config & { github: NonNullable<Config["github"]> };
}

/** Posts a webhook the way GitHub does, signed with HMAC-SHA256 of the raw body. */
export function postWebhook(port: number, event: string, payload: unknown, secret = webhookSecret) {
  return deliverWebhook({ port, event, payload, secret });
}
