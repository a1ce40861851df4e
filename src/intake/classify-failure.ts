/**
 * Whether a failed piece of queue work may succeed if tried again soon. Transient: GitHub 5xx, rate
 * limits (primary and secondary, with GitHub's retry-after), AWS throttling and server faults,
 * network resets and timeouts. Everything else (a 404, a 422, AccessDenied, a bug) would fail the
 * same way again, so it is not retried in the handler.
 */
export type FailureClass =
  { kind: "transient"; why: string; retryAfterMs?: number } | { kind: "permanent"; why: string };

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  status?: unknown;
  cause?: unknown;
  request?: unknown;
  response?: { headers?: Record<string, unknown> };
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const awsTransientNames =
  /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RequestTimeout|ServiceUnavailable|InternalFailure|InternalError|InternalServerError/;

const networkCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function classifyFailure(error: unknown, now: () => number = Date.now): FailureClass {
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "Error";

  // Octokit's RequestError: an HTTP status and the request it answered.
  if (typeof e.status === "number" && e.request !== undefined) {
    return classifyGitHub(e.status, e, now);
  }
  // AWS SDK v3 service errors carry $metadata and $fault.
  if (e.$metadata !== undefined || e.$fault !== undefined) {
    const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : 0;
    if (e.$retryable || e.$fault === "server" || status >= 500 || status === 429) {
      return { kind: "transient", why: `AWS ${name}` };
    }
    if (awsTransientNames.test(name)) return { kind: "transient", why: `AWS ${name}` };
  }
  const network = networkCodeOf(error);
  if (network) return { kind: "transient", why: `network ${network}` };
  if (name === "TimeoutError") return { kind: "transient", why: "timeout" };
  if (awsTransientNames.test(name)) return { kind: "transient", why: name };
  const message = typeof e.message === "string" ? e.message : "";
  return { kind: "permanent", why: message ? `${name}: ${message.slice(0, 200)}` : name };
}

function classifyGitHub(status: number, e: ErrorLike, now: () => number): FailureClass {
  const headers = e.response?.headers ?? {};
  const retryAfterMs = retryAfterOf(headers, now);
  const message = typeof e.message === "string" ? e.message : "";
  if (status === 429 || (status === 403 && isRateLimit(headers, message))) {
    return {
      kind: "transient",
      why: /secondary/i.test(message) ? "GitHub secondary rate limit" : "GitHub rate limit",
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  // Octokit reports a request that never got an answer (reset, timeout) as status 500.
  if (status >= 500) {
    const network = networkCodeOf(e);
    return { kind: "transient", why: network ? `GitHub ${network}` : `GitHub ${status}` };
  }
  return {
    kind: "permanent",
    why: `GitHub ${status}${message ? `: ${message.slice(0, 200)}` : ""}`,
  };
}

/** https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit */
function isRateLimit(headers: Record<string, unknown>, message: string): boolean {
  return (
    headers["retry-after"] !== undefined ||
    String(headers["x-ratelimit-remaining"]) === "0" ||
    /rate limit/i.test(message)
  );
}

function retryAfterOf(headers: Record<string, unknown>, now: () => number): number | undefined {
  const seconds = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(seconds)) return seconds * 1000;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - now());
  }
  return undefined;
}

/** A Node or undici network error code, wherever it sits in the cause chain. */
function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    const code = (current as ErrorLike).code;
    if (typeof code === "string" && networkCodes.has(code)) return code;
    current = (current as ErrorLike).cause;
  }
  return undefined;
}
