import { createLambdaRuntime } from "./lambda-runtime.js";
import { handleSqsEvent } from "./handle-sqs-event.js";

/**
 * Lambda entry point for the approval queue as an SQS event source: `lib/lambda/queue.handler`.
 * Turn on ReportBatchItemFailures on the event source mapping.
 */
const runtime = createLambdaRuntime();

export async function handler(event: unknown) {
  const { handleMessage, probot } = await runtime;
  return handleSqsEvent(handleMessage, probot.log, event);
}
