import { createLambdaRuntime } from "./lambda-runtime.js";
import { handleWebhookEvent } from "./handle-webhook-event.js";

/** Lambda entry point for GitHub webhooks (API Gateway or a function URL): `lib/lambda/webhooks.handler`. */
const runtime = createLambdaRuntime();

export async function handler(event: unknown) {
  return handleWebhookEvent((await runtime).probot, event);
}
