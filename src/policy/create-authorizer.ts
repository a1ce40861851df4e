import type { PendingApproval, SourceRef } from "../approvals/approval.js";
import type { Authorization, Authorize, DecisionRequest } from "../approvals/decision-types.js";
import { getChangeAuthors } from "../github/change-authors.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { getRepositoryRole } from "../github/repository-role.js";
import { getTeamMembership } from "../github/team-membership.js";
import {
  authorizeInRepository,
  refused,
  type AuthorizerLookups,
} from "./authorize-in-repository.js";
import { loadPolicy } from "./load-policy.js";

export type { AuthorizerLookups } from "./authorize-in-repository.js";
export { quorumOf } from "./authorize-in-repository.js";

const githubLookups: AuthorizerLookups = {
  loadPolicy,
  getRepositoryRole,
  getTeamMembership,
  getChangeAuthors,
};

/**
 * Gathers the facts the policy needs, concurrently and always fresh (a permission, a team
 * membership or the policy file is never cached: each must be current at every decision), then
 * evaluates them with the pure `evaluateDecision`. Round one reads the policy and the person's
 * role together; round two, only when the rule needs them and the cheap checks passed, the
 * teams and the change's authors together. Any lookup that fails refuses: it fails closed.
 */
export function createAuthorizer(
  octokit: GitHubClient,
  overrides: Partial<AuthorizerLookups> = {},
  { githubFor }: { githubFor?: GitHubFor | undefined } = {},
): Authorize {
  const lookups = { ...githubLookups, ...overrides };
  return async (request, approval): Promise<Authorization> => {
    const { repo, actor } = request;
    if (actor.isBot) return { kind: "refused", reason: "bots and apps may not decide approvals" };
    if (actor.viaApp) {
      return refused(
        `this was written by the GitHub App ${actor.viaApp} on @${actor.login}'s behalf, and apps may not decide approvals: @${actor.login} must decide in person`,
      );
    }
    const others = otherSources(approval, repo);
    const [own, ...elsewhere] = await Promise.all([
      authorizeInRepository(lookups, octokit, repo, request.checkRun.head_sha, request, approval),
      ...others.map((source) => authorizeInSource(lookups, githubFor, source, request, approval)),
    ]);
    return combine(own!, elsewhere);
  };
}

/** Finds the installation client of another repository; undefined when the app is not there. */
export type GitHubFor = (repo: RepoRef) => Promise<GitHubClient | undefined>;

/**
 * The execution's other GitHub sources. Every source repository gets a check run and any of them
 * can take the decision, so each one's policy must allow it: otherwise anyone with write on a
 * loosely governed repository could approve for a strictly governed one (docs/policy.md).
 */
function otherSources(approval: PendingApproval, repo: RepoRef): SourceRef[] {
  const here = `${repo.owner}/${repo.repo}`.toLowerCase();
  const seen = new Set([here]);
  return (approval.sources ?? []).filter((source) => {
    const key = `${source.owner}/${source.repo}`.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function authorizeInSource(
  lookups: AuthorizerLookups,
  githubFor: GitHubFor | undefined,
  source: SourceRef,
  request: DecisionRequest,
  approval: PendingApproval,
): Promise<Authorization & { repository: string }> {
  const repo = { owner: source.owner, repo: source.repo };
  const repository = `${source.owner}/${source.repo}`;
  const client = await (githubFor ?? noClients)(repo).catch(() => undefined);
  if (!client) {
    return {
      kind: "refused",
      reason: `its policy could not be read (is the app installed there?)`,
      repository,
    };
  }
  const answer = await authorizeInRepository(lookups, client, repo, source.sha, request, approval);
  return { ...answer, repository };
}

const noClients: GitHubFor = async () => undefined;

/**
 * Allowed only when every source allows; the refusal names the repository that refused. The
 * quorum is the largest any source asks for, shown with the people this repository names.
 */
function combine(
  own: Authorization,
  elsewhere: (Authorization & { repository: string })[],
): Authorization {
  if (own.kind === "refused") return own;
  const refusal = elsewhere.find((answer) => answer.kind === "refused");
  if (refusal) {
    return refused(
      `${refusal.repository}, another source repository of this pipeline execution, refuses: ${refusal.reason}`,
      own.quorum,
    );
  }
  const required = Math.max(
    own.requiredApprovals,
    ...elsewhere.map((answer) => (answer.kind === "allowed" ? answer.requiredApprovals : 1)),
  );
  return {
    kind: "allowed",
    requiredApprovals: required,
    ...(own.quorum ? { quorum: { ...own.quorum, required } } : {}),
  };
}
