import { z } from "zod";
import { httpStatusOf, type GitHubClient, type RepoRef } from "./github-client.js";

const commitSchema = z.object({
  sha: z.string(),
  commit: z.object({
    message: z.string(),
    author: z.object({ name: z.string().nullish() }).nullish(),
  }),
  author: z.object({ login: z.string() }).nullish(),
});

const comparisonSchema = z.object({
  status: z.enum(["ahead", "behind", "diverged", "identical"]),
  ahead_by: z.int().min(0),
  behind_by: z.int().min(0),
  html_url: z.string(),
  commits: z.array(commitSchema),
});

export interface ComparedCommit {
  sha: string;
  message: string;
  login?: string;
  name?: string;
}

export type CommitComparison =
  | {
      kind: "compared";
      status: "ahead" | "behind" | "diverged" | "identical";
      aheadBy: number;
      behindBy: number;
      url: string;
      /** The first `limit` commits of base...head, oldest first. */
      commits: ComparedCommit[];
    }
  /** 404: a commit is gone (a force-push), or the two share no history. */
  | { kind: "not-comparable" };

/**
 * GitHub's comparison of two commits, base...head: whether head is ahead of, behind, diverged
 * from or identical to base, by how many commits, and the first `limit` commits it adds (one
 * page, so a long history costs one call). Any failure other than a 404 is thrown.
 * https://docs.github.com/en/rest/commits/commits#compare-two-commits
 */
export async function compareCommits(
  octokit: GitHubClient,
  repo: RepoRef,
  base: string,
  head: string,
  limit: number,
): Promise<CommitComparison> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${head}`,
      per_page: limit,
    }));
  } catch (error) {
    if (httpStatusOf(error) === 404) return { kind: "not-comparable" };
    throw error;
  }
  const parsed = comparisonSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error("GitHub's comparison of the two commits was not understood", {
      cause: parsed.error,
    });
  }
  const answer = parsed.data;
  return {
    kind: "compared",
    status: answer.status,
    aheadBy: answer.ahead_by,
    behindBy: answer.behind_by,
    url: answer.html_url,
    commits: answer.commits.slice(0, limit).map((commit) => ({
      sha: commit.sha,
      message: commit.commit.message,
      ...(commit.author?.login ? { login: commit.author.login } : {}),
      ...(commit.commit.author?.name ? { name: commit.commit.author.name } : {}),
    })),
  };
}
