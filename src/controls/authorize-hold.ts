import { getRepositoryRole, repositoryRoles } from "../github/repository-role.js";
import { httpStatusOf, type GitHubClient } from "../github/github-client.js";
import { loadPolicy } from "../policy/load-policy.js";
import { describeInvalidPolicy, policyPath } from "../policy/parse-policy.js";
import type { AuthorizeHold, HoldAuthorization } from "./control-types.js";
import { controlsForApproval } from "./controls-for-approval.js";

/** The lookups behind a hold; the GitHub adapters by default. */
export interface HoldLookups {
  loadPolicy: typeof loadPolicy;
  getRepositoryRole: typeof getRepositoryRole;
}

/**
 * Who may hold: anyone whose role on the repository reaches the policy's `hold_min_permission`
 * (default `triage`), read fresh like every permission. A hold only stops approvals, so it asks
 * less than deciding does, but it still fails closed: a policy or role that cannot be read, or an
 * invalid policy file, refuses. Bots never hold. Channel switches do not apply: they switch off
 * ways of deciding, and a hold decides nothing. See docs/controls.md.
 */
export function createHoldAuthorizer(
  octokit: GitHubClient,
  overrides: Partial<HoldLookups> = {},
): AuthorizeHold {
  const lookups: HoldLookups = { loadPolicy, getRepositoryRole, ...overrides };
  return async (request, approval): Promise<HoldAuthorization> => {
    const { repo, actor } = request;
    if (actor.isBot) return refused("bots and apps may not hold approvals");
    let load, role;
    try {
      [load, role] = await Promise.all([
        lookups.loadPolicy(octokit, repo),
        lookups.getRepositoryRole(octokit, repo, actor.login),
      ]);
    } catch (error) {
      return refused(
        `could not read the policy file ${policyPath} or @${actor.login}'s role (${describe(error)})`,
      );
    }
    if (load.kind === "invalid") return refused(describeInvalidPolicy(load));
    const { holdMinPermission } = controlsForApproval(load.policy, approval);
    if (repositoryRoles.indexOf(role) < repositoryRoles.indexOf(holdMinPermission)) {
      return refused(
        `@${actor.login} has ${role} permission; holding needs ${holdMinPermission} or higher (hold_min_permission)`,
      );
    }
    return { kind: "allowed" };
  };
}

function refused(reason: string): HoldAuthorization {
  return { kind: "refused", reason };
}

function describe(error: unknown): string {
  const status = httpStatusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  return error instanceof Error ? (error.message.split("\n")[0] ?? "").slice(0, 200) : "unknown";
}
