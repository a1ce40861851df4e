import { composeBridge } from "../compose-bridge.js";
import { loadConfig } from "../config.js";

/**
 * Built once per Lambda container (outside the handler), so caches (pipeline definitions,
 * installation ids and tokens) survive across invocations.
 */
export async function createLambdaRuntime(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  if (!config.github) {
    throw new Error(
      "APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET must be set for Lambda",
    );
  }
  const { probot, app, handleMessage } = await composeBridge({
    ...config,
    github: config.github,
    logFormat: config.logFormat ?? "json",
  });
  await probot.load(app);
  return { probot, handleMessage };
}
