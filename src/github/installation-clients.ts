import type { Probot } from "probot";
import { httpStatusOf, type GitHubClient, type RepoRef } from "./github-client.js";

export interface InstallationClients {
  /** The client of the installation that covers a repository; undefined when the app is not installed there. */
  forRepository(repo: RepoRef): Promise<GitHubClient | undefined>;
}

/**
 * Installation ids change only when the app is reinstalled, so they are cached per repository, as
 * are the clients (each refreshes its own token). Lookups in flight are shared.
 */
export function createInstallationClients(
  app: Pick<Probot, "auth">,
  { ttlMs = 60 * 60_000, now = Date.now } = {},
): InstallationClients {
  const installationIds = new Map<string, { at: number; id: Promise<number | undefined> }>();
  const clients = new Map<number, Promise<GitHubClient>>();

  const installationId = (repo: RepoRef) => {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    const cached = installationIds.get(key);
    if (cached && now() - cached.at < ttlMs) return cached.id;
    const id = app
      .auth()
      .then((appClient) => appClient.rest.apps.getRepoInstallation(repo))
      .then(
        ({ data }) => data.id,
        (error: unknown) => {
          if (httpStatusOf(error) === 404) return undefined;
          throw error;
        },
      );
    installationIds.set(key, { at: now(), id });
    // Neither a failure nor "not installed" is remembered: the next message asks again.
    id.then(
      (found) => found === undefined && installationIds.delete(key),
      () => installationIds.delete(key),
    );
    return id;
  };

  return {
    async forRepository(repo) {
      const id = await installationId(repo);
      if (id === undefined) return undefined;
      let client = clients.get(id);
      if (!client) {
        client = app.auth(id);
        clients.set(id, client);
        client.catch(() => clients.delete(id));
      }
      return client;
    },
  };
}
