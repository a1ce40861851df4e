import { httpStatusOf, type GitHubClient, type RepoRef } from "../github/github-client.js";
import { parsePolicy, policyPath, type PolicyLoad } from "./parse-policy.js";

/**
 * Reads the policy the way Probot's `context.config` does (it calls this same
 * `octokit.config.get`): from the repository's default branch, never from a pull request's
 * branch; from `<owner>/.github` when the repository has no file; following `_extends`. Taking
 * (octokit, repo) lets the webhook handlers and the queue path share it.
 *
 * A file that cannot be parsed (bad YAML, a bad `_extends`, a directory), or an `_extends` that
 * names a file GitHub cannot find, is an invalid policy, so every decision is refused with the
 * problem quoted. A failed request (a 5xx, a missing
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
  const missing = missingExtendedFiles(result.files);
  if (missing.length > 0) {
    return {
      kind: "invalid",
      problems: missing.map(
        ({ location, by }) =>
          `_extends in ${by} names ${location}, which cannot be read (404: deleted, renamed, or in a repository the app cannot see), so its rules cannot be applied`,
      ),
      files,
    };
  }
  return parsePolicy(result.config, files);
}

interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  config: Record<string, unknown> | null;
}

/**
 * The files an `_extends` names that GitHub answered with 404. The config plugin reads them like
 * the repository's own file and turns a 404 into "no file" (`config: null`), so a renamed or
 * deleted base, or one in a repository the app cannot see, would drop its rules in silence and
 * leave the built-in defaults. Only the first file, and the owner's `.github` fallback read after
 * a missing first file, may be absent; every file after a found one was named by `_extends`.
 * https://github.com/probot/octokit-plugin-config#usage (get-config-files.js)
 */
export function missingExtendedFiles(
  files: readonly ConfigFile[],
): { location: string; by: string }[] {
  const location = (file: ConfigFile) => `${file.owner}/${file.repo}:${file.path}`;
  return files.flatMap((file, index) => {
    const previous = index > 0 ? files[index - 1] : undefined;
    if (file.config !== null || !previous || previous.config === null) return [];
    return [{ location: location(file), by: location(previous) }];
  });
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
