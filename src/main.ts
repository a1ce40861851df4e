import { existsSync } from "node:fs";
import { run } from "probot";
import { ConfigError, loadConfig } from "./config.js";
import { startBridge } from "./start-bridge.js";

/** Wiring only: read the environment, start the bridge (or Probot's setup page), own shutdown. */
if (existsSync(".env")) process.loadEnvFile(".env");

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

if (!config.github) {
  if (config.production) {
    process.stderr.write("APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are required in production.\n");
    process.exit(1);
  }
  // Not registered yet: Probot serves its setup page, which registers the app from app.yml and
  // writes the credentials to .env. Restart afterwards.
  await run(() => {});
} else {
  const bridge = await startBridge({ ...config, github: config.github });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    bridge.probot.log.info({ signal }, "stopping: finishing the work in hand");
    bridge.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        bridge.probot.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
