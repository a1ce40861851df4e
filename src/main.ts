import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "./config.js";
import { errorFields } from "./ops/error-fields.js";
import { startBridge } from "./start-bridge.js";
import { startSetupMode } from "./start-setup-mode.js";

/**
 * Wiring only: read the environment, start the bridge (or Probot's setup page), own shutdown.
 * A .env file fills in what the environment leaves unset; `KEY=` lines count as unset
 * (src/config.ts), so .env.example copied as is leads to the setup page.
 */
if (existsSync(".env")) process.loadEnvFile(".env");
// `KEY=` means unset for everyone who reads the environment, the AWS SDK included.
for (const [key, value] of Object.entries(process.env)) {
  if (value !== undefined && value.trim() === "") delete process.env[key];
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

if (!config.github) {
  // Not registered yet (config.ts refuses this in production): Probot's setup page registers the
  // app from app.yml and writes the credentials to .env. Restart afterwards.
  const setup = await startSetupMode(config);
  const stopSetup = () => void setup.stop().finally(() => process.exit(0));
  process.on("SIGTERM", stopSetup);
  process.on("SIGINT", stopSetup);
} else {
  const bridge = await startBridge({ ...config, github: config.github }).catch((error: unknown) => {
    // Expected failures (the port is taken, GitHub refuses the key) end the start with one line.
    process.stderr.write(`Could not start: ${JSON.stringify(errorFields(error))}\n`);
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    bridge.probot.log.info({ signal }, "stopping: finishing the work in hand");
    bridge.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        bridge.probot.log.error({ error: errorFields(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
