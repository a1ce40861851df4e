import { setTimeout as sleep } from "node:timers/promises";
import { ProbotOctokit } from "probot";
import { octokitRequestLog } from "../ops/octokit-request-log.js";
import { createConcurrencyLimit } from "./concurrency-limit.js";
import { conditionalContentReads } from "./conditional-reads.js";
import { redactingLogger, redactRequestError } from "./redact-secrets.js";
import { decideRetry } from "./request-retry.js";
import {
  createWritePacer,
  githubWriteLimits,
  writePriorityOf,
  type WriteLimit,
} from "./write-pacer.js";

type OctokitOptions = Record<string, unknown> & {
  log?: object | undefined;
  auth?: { installationId?: number | string } | undefined;
  request?: { fetch?: typeof fetch } & Record<string, unknown>;
};

interface LimitedRequest {
  method: string;
  url: string;
}

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

export interface GitHubOctokitOptions {
  /** How often one request may meet a rate limit and still be retried after GitHub's retry-after. */
  maxRateLimitRetries?: number;
  /** How often one request may fail with a 5xx (or no answer) and still be retried. */
  maxTransientRetries?: number;
  onLimit?: (
    kind: "primary" | "secondary",
    request: LimitedRequest,
    retryAfterSeconds: number,
  ) => void;
  /** Content-creation budgets per installation; GitHub's documented ones by default. */
  writeLimits?: readonly WriteLimit[];
  /** Requests of one installation in flight at once (GitHub allows 100). */
  maxConcurrent?: number;
  /**
   * Runs GitHub's clock this many times faster: the write windows and the waits after a
   * retry-after shrink by this factor. For the benchmark, whose fake GitHub scales its windows by
   * the same factor; production leaves it at 1.
   */
  timeScale?: number;
  /**
   * How long one attempt may wait for GitHub's answer before it is abandoned and, like a request
   * that got no answer, repeated. GitHub itself ends REST requests that run longer than 10 s;
   * without a limit a hung connection would hold its installation's slot for undici's 300 s.
   */
  requestTimeoutMs?: number;
}

/**
 * Probot's Octokit with one lean request policy per installation in place of Probot's throttling
 * and retry plugins:
 *
 * - Writes (POST, PATCH, PUT, DELETE; not token requests nor GraphQL queries) go one at a time
 *   per installation and never more than GitHub's documented budgets, 80 a minute and 500 an hour
 *   (write-pacer.ts), instead of one write a second for the whole process.
 * - Each installation has its own budget and its own concurrency limit, so a burst in one
 *   organization never queues another's requests; reads are never held behind writes.
 * - A rate-limited request waits as GitHub asks (retry-after, or the reset) and is retried a
 *   bounded number of times; Probot's default only logs secondary limits. 5xx answers are retried
 *   after 1, 4 and 9 s, as before.
 * - Repository contents reads (the policy file) are conditional (conditional-reads.ts): a 304 is
 *   not a failure to retry but the last answer confirmed, and costs no primary rate limit.
 *
 * Both plugins schedule every request through Bottleneck, whose timer hops cost about 13 ms per
 * request on an idle machine (the README, "Performance"): more than half a round trip to GitHub, on
 * every call of the critical path. This policy costs no timer at all when nothing waits.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
 */
export function createGitHubOctokit({
  maxRateLimitRetries = 3,
  maxTransientRetries = 3,
  onLimit = () => {},
  writeLimits = githubWriteLimits,
  maxConcurrent = 10,
  timeScale = 1,
  requestTimeoutMs = 20_000,
}: GitHubOctokitOptions = {}): typeof ProbotOctokit {
  const pacer = createWritePacer({
    decisionReserve: 1 / 8,
    limits: writeLimits.map(({ max, windowMs }) => ({ max, windowMs: windowMs / timeScale })),
  });
  const slots = createConcurrencyLimit(maxConcurrent);

  const limitRequests: OctokitPlugin = (octokit, options) => {
    const key = installationKey(options as OctokitOptions);
    octokit.hook.wrap("request", async (request, endpoint) => {
      // A token request is made from inside the request that needs the token, through this same
      // hook: limiting it could wait on the very slot its caller holds.
      if (isTokenRequest(endpoint.url)) return request(endpoint);
      const write = isContentWrite(endpoint.method, endpoint.url, endpoint.query);
      // A write keeps its place in the budget while it waits to be retried: GitHub asks for a
      // pause after a secondary limit, and the installation's next write should not jump in.
      // A decision's write goes ahead of waiting replies and refusals (write-pacer.ts).
      const releaseBudget = write
        ? await pacer.acquire(key, writePriorityOf(endpoint.request))
        : undefined;
      try {
        let rateLimits = 0;
        let transients = 0;
        for (;;) {
          const releaseSlot = await slots.acquire(key);
          try {
            return await request(endpoint);
          } catch (error) {
            const retry = decideRetry(error, { attempt: transients, timeScale });
            if (retry.kind === "rate-limit") {
              onLimit(
                retry.limit,
                { method: endpoint.method, url: endpoint.url },
                retry.retryAfterSeconds,
              );
              if (rateLimits >= maxRateLimitRetries) {
                redactRequestError(error);
                throw error;
              }
              rateLimits += 1;
            } else if (retry.kind === "transient" && transients < maxTransientRetries) {
              transients += 1;
            } else {
              redactRequestError(error);
              throw error;
            }
            releaseSlot();
            await sleep(retry.waitMs);
          } finally {
            releaseSlot();
          }
        }
      } finally {
        releaseBudget?.();
      }
    });
  };

  // Conditional reads wrap the request policy, so a read and its retries share one ETag; the policy
  // lets a 304 through as GitHub's answer (decideRetry does not repeat it), and this plugin answers
  // it with the body GitHub confirmed unchanged.
  return ProbotOctokit.plugin(limitRequests, conditionalContentReads()).defaults(
    (options: OctokitOptions) => ({
      ...options,
      // Probot's request log writes each request's body at debug level; a check run's body holds
      // the approval token. No log line may carry it, nor any credential (docs/security.md). The
      // body goes under its own key, so its `name` or `status` is not read as the line's.
      ...(options.log ? { log: redactingLogger(octokitRequestLog(options.log)) } : {}),
      throttle: { enabled: false },
      retry: { enabled: false },
      // At the fetch, not in the hook above: Octokit's hooks hand inner hooks the options they were
      // first called with, so a signal added in a hook would not reach the request.
      request: {
        ...options.request,
        fetch: fetchWithTimeout(options.request?.fetch, requestTimeoutMs),
      },
    }),
  );
}

/**
 * fetch with an abort signal that fires after `timeoutMs` (besides the caller's own, if any).
 * Octokit reports the abort as a request without an answer (status 500): repeatable. The global
 * fetch is looked up at each call, so whatever replaced it (a test's interceptor) still applies.
 */
function fetchWithTimeout(fetchImpl: typeof fetch | undefined, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const own = init?.signal;
    const signal = own ? AbortSignal.any([own, timeout]) : timeout;
    return (fetchImpl ?? globalThis.fetch)(input, { ...init, signal });
  };
}

function installationKey(options: OctokitOptions): string {
  return `installation-${options.auth?.installationId ?? "app"}`;
}

/**
 * GitHub does not list which requests create content; every mutative REST request is counted,
 * except the app's own token requests, which create nothing. GraphQL is a POST either way: only a
 * mutation creates content.
 */
export function isContentWrite(method: string, url: string, graphqlQuery?: unknown): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const path = pathOf(url);
  if (path.endsWith("/graphql")) {
    return typeof graphqlQuery === "string" && graphqlQuery.trimStart().startsWith("mutation");
  }
  return !isTokenRequest(url);
}

/** The app's requests for installation (and OAuth) tokens. */
function isTokenRequest(url: string): boolean {
  const path = pathOf(url);
  return (
    /\/app\/installations\/[^/]+\/access_tokens$/.test(path) ||
    /\/applications\/[^/]+\/token(\/scoped)?$/.test(path) ||
    path.endsWith("/login/oauth/access_token")
  );
}

/** The path of a route template or a resolved URL; no URL parse on every request. */
function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, "").split("?", 1)[0] ?? "";
}
