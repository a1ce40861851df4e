import type { Logger } from "probot";

/**
 * Node prints process warnings (the AWS SDK's NodeVersionSupportWarning, deprecations) to stderr
 * as raw text, which breaks JSON logs. This replaces that printer with one structured line per
 * warning, and returns a function that puts Node's printer back.
 * https://nodejs.org/api/process.html#event-warning
 */
export function routeProcessWarnings(log: Logger): () => void {
  const previous = process.listeners("warning");
  process.removeAllListeners("warning");
  const onWarning = (warning: Error) =>
    log.warn({ warning: { name: warning.name, message: warning.message } }, "Node.js warning");
  process.on("warning", onWarning);
  return () => {
    process.off("warning", onWarning);
    for (const listener of previous) process.on("warning", listener);
  };
}
