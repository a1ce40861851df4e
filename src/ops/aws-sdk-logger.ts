import type { Logger } from "probot";

/**
 * A logger for AWS SDK clients. Without one, the SDK's few warnings (e.g. both AWS_PROFILE and
 * static keys set) go to console.warn as raw text, which breaks JSON logs; with the whole pino
 * logger, every command would log its input and output at info (message bodies included). So:
 * warnings and errors become structured lines, the per-command chatter is dropped.
 * https://github.com/aws/aws-sdk-js-v3/blob/main/supplemental-docs/CLIENTS.md#logger-logger
 */
export function createAwsSdkLogger(log: Logger) {
  const sdkLog = log.child({ source: "aws-sdk" });
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" ");
  const drop = (..._parts: unknown[]) => {};
  return {
    trace: drop,
    debug: drop,
    info: drop,
    warn: (...parts: unknown[]) => sdkLog.warn(text(parts)),
    error: (...parts: unknown[]) => sdkLog.error(text(parts)),
  };
}
