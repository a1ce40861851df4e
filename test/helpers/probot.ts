import { readFileSync } from "node:fs";
import { Probot, ProbotOctokit } from "probot";
import pino from "pino";
import { createApp, type AppDeps } from "../../src/app.js";

export const appId = 4242;
export const installationId = 777;
export const privateKey = readFileSync(
  new URL("../fixtures/mock-cert.pem", import.meta.url),
  "utf8",
);
export const webhookSecret = "test-webhook-secret";

/**
 * Probot's Octokit with retries and throttling off, so a failing call fails at once. The function
 * form is needed: Probot passes its own throttle options, which an object default would not override.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** A logger that keeps what it logs, for asserting on the lines a person would read. */
export function createTestLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines, messages: () => lines.map((line) => String(line.msg)) };
}

export function createTestProbot(deps: Omit<AppDeps, "appId">) {
  const { log, lines } = createTestLog();
  const probot = new Probot({
    appId,
    privateKey,
    secret: webhookSecret,
    Octokit: TestOctokit,
    log,
  });
  probot.load(createApp({ appId, ...deps }));
  return { probot, logLines: lines };
}

/** Delivers a webhook payload to the app as Probot would after verifying it. */
export function receive(probot: Probot, name: string, payload: Record<string, unknown>) {
  return probot.receive({ id: `delivery-${Math.random()}`, name, payload } as Parameters<
    Probot["receive"]
  >[0]);
}
