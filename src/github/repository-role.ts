import type { GitHubClient, RepoRef } from "./github-client.js";

export const repositoryRoles = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type RepositoryRole = (typeof repositoryRoles)[number];

/**
 * A person's current role on a repository. `role_name` tells maintain and triage apart; a custom
 * role falls back to the base `permission` it extends.
 * https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user
 */
export async function getRepositoryRole(
  octokit: GitHubClient,
  repo: RepoRef,
  username: string,
): Promise<RepositoryRole> {
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
  const named = repositoryRoles.find((role) => role === data.role_name);
  return named ?? repositoryRoles.find((role) => role === data.permission) ?? "none";
}
