import { CodePipelineClient, type CodePipelineClientConfig } from "@aws-sdk/client-codepipeline";

export interface CodePipelineClientOptions {
  /** Tries per request, the first included; the SDK retries throttling, 5xx and timeouts. */
  maxAttempts?: number;
  /** Longest wait, per attempt, from sending the request to the response's headers. */
  requestTimeoutMs?: number;
  /** Longest wait for the connection (TCP and TLS) to be set up. */
  connectionTimeoutMs?: number;
  /** Another account's assumed role (account-clients.ts); by default the SDK's own chain. */
  credentials?: CodePipelineClientConfig["credentials"];
  /**
   * Where the SDK's warnings go (ops/aws-sdk-logger.ts). Without one, some (both AWS_PROFILE and
   * static keys set) are raw console text amid the JSON log lines. The STS client that assumes
   * another account's role inherits it (fromTemporaryCredentials takes the caller's logger).
   */
  logger?: CodePipelineClientConfig["logger"];
}

/**
 * The production CodePipeline client for a region: adaptive retries (client-side rate limiting
 * when throttled) and timeouts, so a hung connection fails as a TimeoutError, which the SDK and
 * the queue's retry treat as transient, instead of holding a message or a click forever (the
 * SDK's default is no timeout at all). The SDK builds its NodeHttpHandler from these options, so
 * @smithy/node-http-handler stays the SDK's own dependency.
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler
 */
export function createCodePipelineClient(
  region: string,
  {
    maxAttempts = 4,
    requestTimeoutMs = 10_000,
    connectionTimeoutMs = 3_000,
    credentials,
    logger,
  }: CodePipelineClientOptions = {},
): CodePipelineClient {
  return new CodePipelineClient({
    region,
    retryMode: "adaptive",
    ...(credentials ? { credentials } : {}),
    ...(logger ? { logger } : {}),
    maxAttempts,
    requestHandler: {
      requestTimeout: requestTimeoutMs,
      connectionTimeout: connectionTimeoutMs,
      // Without it, @smithy/node-http-handler only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
    },
  });
}
