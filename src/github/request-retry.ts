import { httpStatusOf } from "./github-client.js";

/** What to do after a GitHub request failed. */
export type RetryDecision =
  | {
      kind: "rate-limit";
      limit: "primary" | "secondary";
      waitMs: number;
      retryAfterSeconds: number;
    }
  | { kind: "transient"; waitMs: number }
  | { kind: "fail" };

/** Statuses a repeat cannot fix (the retry plugin's list, which Probot used before). */
const doNotRetry = new Set([400, 401, 403, 404, 410, 422, 451]);

/**
 * GitHub's rules for a rate-limited request: wait `retry-after` seconds when given; when
 * `x-ratelimit-remaining` is 0, wait until `x-ratelimit-reset`; otherwise wait at least a minute.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 * A 403 is a rate limit only when it says so (it is also GitHub's "not allowed"). Other failures
 * worth repeating (5xx, network) are repeated after 1, 4 and 9 s, as Octokit's retry plugin does.
 *
 * `timeScale` shortens durations of GitHub's clock (retry-after, the minute); a reset is a point
 * in real time and is not scaled.
 */
export function decideRetry(
  error: unknown,
  {
    attempt,
    now = Date.now(),
    timeScale = 1,
  }: { attempt: number; now?: number; timeScale?: number },
): RetryDecision {
  const status = httpStatusOf(error);
  const headers = headersOf(error);
  const message = error instanceof Error ? error.message : "";
  const retryAfter = Number(headers["retry-after"]);
  const exhausted = headers["x-ratelimit-remaining"] === "0";
  const rateLimited =
    status === 429 ||
    (status === 403 && (Number.isFinite(retryAfter) || exhausted || /rate limit/i.test(message)));
  if (rateLimited) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) {
      return {
        kind: "rate-limit",
        limit: exhausted ? "primary" : "secondary",
        retryAfterSeconds: retryAfter,
        waitMs: (retryAfter * 1000) / timeScale,
      };
    }
    if (exhausted) {
      const resetMs = Number(headers["x-ratelimit-reset"]) * 1000;
      const waitMs = Math.max(0, resetMs - now) + 1000;
      return {
        kind: "rate-limit",
        limit: "primary",
        retryAfterSeconds: Math.ceil(waitMs / 1000),
        waitMs,
      };
    }
    return {
      kind: "rate-limit",
      limit: "secondary",
      retryAfterSeconds: 60,
      waitMs: 60_000 / timeScale,
    };
  }
  // Octokit reports a request that got no answer (a network failure) as status 500.
  const repeatable = status !== undefined && status >= 400 && !doNotRetry.has(status);
  return repeatable ? { kind: "transient", waitMs: (attempt + 1) ** 2 * 1000 } : { kind: "fail" };
}

function headersOf(error: unknown): Record<string, string | undefined> {
  const headers = (error as { response?: { headers?: unknown } } | null)?.response?.headers;
  return typeof headers === "object" && headers !== null
    ? (headers as Record<string, string | undefined>)
    : {};
}
