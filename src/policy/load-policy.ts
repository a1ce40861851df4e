import { httpStatusOf, type GitHubClient, type RepoRef } from "../github/github-client.js";
import { parsePolicy, policyPath, type PolicyLoad } from "./parse-policy.js";

/**
 * Reads the policy the way Probot's `context.config` does (it calls this same
 * `octokit.config.get`): from the repository's default branch, never from a pull request's
 * branch; from `<owner>/.github` when the repository has no file; following `_extends`. Taking
 * (octokit, repo) lets the webhook handlers and the queue path share it.
 *
 * A file that cannot be parsed (bad YAML, a bad `_extends`, a directory) is an invalid policy, so
 * every decision is refused with the problem quoted. A failed request (a 5xx, a missing
 * permission) throws: the caller refuses without knowing the policy. Every read asks GitHub, so a
 * change to the file applies to the very next decision, on every replica at once. With the app's
 * client the reads are conditional (github/conditional-reads.ts): an unchanged file comes back as
 * a 304, which costs no primary rate limit, and the body GitHub confirmed is reused. A missing file
 * (404, no ETag) is read in full every time.
 */
export async function loadPolicy(octokit: GitHubClient, repo: RepoRef): Promise<PolicyLoad> {
  let result;
  try {
    result = await octokit.config.get({
      owner: repo.owner,
      repo: repo.repo,
      path: policyPath,
      defaults: mergeConfigs,
    });
  } catch (error) {
    if (httpStatusOf(error) !== undefined || !isConfigPluginError(error)) throw error;
    return { kind: "invalid", problems: [describePluginError(error)], files: [] };
  }
  const files = result.files
    .filter((file) => file.config !== null)
    .map((file) => `${file.owner}/${file.repo}:${file.path}`);
  return parsePolicy(result.config, files);
}

/**
 * Probot deep-merges with deepmerge's defaults, which concatenate arrays; here a nearer file's
 * `channels`, `approvers` or `rules` replace the inherited ones instead, so a repository can
 * narrow what its organization allows. Objects (`defaults`) merge key by key. `configs` comes
 * farthest first (the `_extends` base, then the repository's file).
 */
export function mergeConfigs(configs: Record<string, unknown>[]): Record<string, unknown> {
  return configs.reduce<Record<string, unknown>>((merged, next) => mergeObjects(merged, next), {});
}

function mergeObjects(base: Record<string, unknown>, next: Record<string, unknown>) {
  if (!isPlainObject(next)) return next;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(next)) {
    const current = merged[key];
    merged[key] =
      isPlainObject(current) && isPlainObject(value) ? mergeObjects(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isConfigPluginError(error: unknown): error is Error {
  return error instanceof Error && error.message.startsWith("[@probot/octokit-plugin-config]");
}

/** The plugin's message, plus the YAML parser's first line (it says where the syntax breaks). */
function describePluginError(error: Error): string {
  const message = error.message.replace("[@probot/octokit-plugin-config] ", "");
  const cause = error.cause instanceof Error ? error.cause.message.split("\n")[0] : undefined;
  return cause ? `${message}: ${cause}` : message;
}
