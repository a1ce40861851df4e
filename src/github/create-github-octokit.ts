import { ProbotOctokit } from "probot";

type OctokitOptions = Record<string, unknown> & {
  auth?: { installationId?: number | string } | undefined;
  throttle?: Record<string, unknown> | undefined;
};

interface ThrottledRequest {
  method: string;
  url: string;
}

export interface GitHubOctokitOptions {
  /** How often one request may meet a rate limit and still be retried after GitHub's retry-after. */
  maxRateLimitRetries?: number;
  onLimit?: (
    kind: "primary" | "secondary",
    request: ThrottledRequest,
    retryAfterSeconds: number,
  ) => void;
}

/**
 * Probot's Octokit, throttled per installation instead of per process: the throttling plugin's
 * limiters are keyed by `throttle.id`, so giving each installation its own id keeps a burst in one
 * organization from queueing another's writes. Rate-limited requests (primary and secondary) are
 * retried after GitHub's retry-after a bounded number of times; Probot's default only logs
 * secondary limits. https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
 */
export function createGitHubOctokit({
  maxRateLimitRetries = 3,
  onLimit = () => {},
}: GitHubOctokitOptions = {}): typeof ProbotOctokit {
  const retryWhile =
    (kind: "primary" | "secondary") =>
    (retryAfter: number, request: ThrottledRequest, _octokit: unknown, retryCount: number) => {
      onLimit(kind, request, retryAfter);
      return retryCount < maxRateLimitRetries;
    };
  return ProbotOctokit.defaults((options: OctokitOptions) => ({
    ...options,
    throttle: {
      ...options.throttle,
      id: `installation-${options.auth?.installationId ?? "app"}`,
      onRateLimit: retryWhile("primary"),
      onSecondaryRateLimit: retryWhile("secondary"),
    },
  }));
}
