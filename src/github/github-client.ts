import type { ProbotOctokit } from "probot";

/** An installation's authenticated REST client, as Probot builds it. */
export type GitHubClient = ProbotOctokit;

// A type alias, not an interface, so it spreads into Octokit's request parameters.
export type RepoRef = { owner: string; repo: string };

/** A GitHub API error's HTTP status, when it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
