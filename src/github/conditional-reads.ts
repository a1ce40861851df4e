import { createHash } from "node:crypto";
import type { ProbotOctokit } from "probot";
import { httpStatusOf } from "./github-client.js";

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

interface StoredRead {
  etag: string;
  response: { status: number; url: string; headers: Record<string, unknown>; data: unknown };
}

export interface ConditionalReadsOptions {
  /** Reads remembered at once, across installations; the least recently used one goes first. */
  maxEntries?: number;
}

/**
 * Repository contents GETs (the policy file, read at every decision) become conditional requests:
 * the ETag of the last 200 goes out as If-None-Match, and a 304 Not Modified, which GitHub does not
 * count against the primary rate limit, is answered with the body of that 200. Every read still
 * asks GitHub, so a changed file applies at once; only what GitHub confirms unchanged is reused.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 *
 * Only 200s with an ETag are remembered. A missing file (404) comes without an ETag, so it stays a
 * full request. Entries are keyed by who asks (the installation, the app, or a token's hash) as well
 * as the full URL and media type: what one installation may read says nothing about another.
 * One store per Octokit class, shared by all its instances (Probot builds one per webhook event).
 */
export function conditionalContentReads({
  maxEntries = 500,
}: ConditionalReadsOptions = {}): OctokitPlugin {
  const store = new Map<string, StoredRead>();

  return (octokit, options) => {
    const who = requesterOf(options);
    octokit.hook.wrap("request", async (request, endpoint) => {
      if (endpoint.method !== "GET" || !isContentsRoute(endpoint.url)) return request(endpoint);
      const { url, headers } = octokit.request.endpoint.parse(endpoint);
      if (headers["if-none-match"] !== undefined) return request(endpoint);
      const key = `${who} ${String(headers.accept)} ${url}`;
      const stored = store.get(key);
      // Inner hooks (the token, the request itself) see the options this hook was called with,
      // not the ones it passes on: the header is set on that object.
      if (stored) endpoint.headers = { ...endpoint.headers, "if-none-match": stored.etag };
      try {
        const response = await request(endpoint);
        const etag = response.headers.etag;
        store.delete(key);
        if (response.status === 200 && typeof etag === "string") {
          store.set(key, { etag, response: { ...response, data: structuredClone(response.data) } });
          for (const oldest of store.keys()) {
            if (store.size <= maxEntries) break;
            store.delete(oldest);
          }
        }
        return response;
      } catch (error) {
        const status = httpStatusOf(error);
        if (status === 304 && stored) {
          // Most recently used last, so the bound evicts reads nobody repeats.
          store.delete(key);
          store.set(key, stored);
          // A copy: callers may change what they get (the config plugin deletes `_extends`).
          return { ...stored.response, data: structuredClone(stored.response.data) } as Awaited<
            ReturnType<typeof request>
          >;
        }
        if (status === 404) store.delete(key);
        throw error;
      }
    });
  };
}

/** GET /repos/{owner}/{repo}/contents/{path}, as a route template or a resolved URL. */
function isContentsRoute(url: string): boolean {
  return /\/repos\/[^/]+\/[^/]+\/contents(?:\/|$|\?|\{)/.test(url);
}

function requesterOf(options: unknown): string {
  const auth = (options as { auth?: unknown } | undefined)?.auth;
  if (typeof auth === "string") {
    return `token-${createHash("sha256").update(auth).digest("hex").slice(0, 16)}`;
  }
  const installationId = (auth as { installationId?: unknown } | undefined)?.installationId;
  return installationId === undefined ? "app" : `installation-${String(installationId)}`;
}
