import type { Authorization, Authorize } from "../approvals/decision-types.js";
import type { Quorum } from "../approvals/check-run-record.schema.js";
import { getChangeAuthors } from "../github/change-authors.js";
import { httpStatusOf, type GitHubClient } from "../github/github-client.js";
import { getRepositoryRole } from "../github/repository-role.js";
import { getTeamMembership } from "../github/team-membership.js";
import {
  evaluateDecision,
  lookupsNeeded,
  precheckDecision,
  sameLogin,
  type DecisionFacts,
  type Membership,
} from "./evaluate-decision.js";
import { loadPolicy } from "./load-policy.js";
import { describeInvalidPolicy, policyPath } from "./parse-policy.js";
import { ruleForApproval, teamName, type ApprovalRule } from "./rule-for-approval.js";
import { checkBreakGlass, liftForBreakGlass } from "../controls/authorize-break-glass.js";

/** The lookups behind a decision; the GitHub adapters by default, replaceable in tests. */
export interface AuthorizerLookups {
  loadPolicy: typeof loadPolicy;
  getRepositoryRole: typeof getRepositoryRole;
  getTeamMembership: typeof getTeamMembership;
  getChangeAuthors: typeof getChangeAuthors;
}

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
): Authorize {
  const lookups = { ...githubLookups, ...overrides };
  return async (request, approval): Promise<Authorization> => {
    const { repo, actor } = request;
    if (actor.isBot) return { kind: "refused", reason: "bots and apps may not decide approvals" };

    const [load, role] = await Promise.all([
      settle(lookups.loadPolicy(octokit, repo)),
      settle(lookups.getRepositoryRole(octokit, repo, actor.login)),
    ]);
    if (!load.ok) {
      return refused(`could not read the policy file ${policyPath} (${describeError(load.error)})`);
    }
    if (load.value.kind === "invalid") return refused(describeInvalidPolicy(load.value));

    const ruleAsWritten = ruleForApproval(load.value.policy, approval);
    const quorum = quorumOf(ruleAsWritten);
    // Break-glass lifts the quorum and prevent_self_approval, nothing else: docs/controls.md.
    const rule = request.breakGlass ? liftForBreakGlass(ruleAsWritten) : ruleAsWritten;
    if (!role.ok) {
      return refused(
        `could not check permissions: @${actor.login}'s role on ${repo.owner}/${repo.repo} could not be read (${describeError(role.error)})`,
        quorum,
      );
    }
    const facts: DecisionFacts = {
      login: actor.login,
      isBot: actor.isBot,
      role: role.value,
      channel: request.channel,
      verdict: request.verdict,
      reason: request.reason,
    };
    const early = precheckDecision(rule, facts);
    if (early?.kind === "refused") {
      // Below read access (anyone can comment on a public repository): the decision path rations
      // what answering them costs (approvals/refusal-budget.ts).
      return {
        ...refused(early.reason, quorum),
        ...(role.value === "none" ? { outsider: true } : {}),
      };
    }

    const needs = lookupsNeeded(rule, facts);
    const [memberships, authors] = await Promise.all([
      Promise.all(
        needs.teams.map(async (team): Promise<[string, Membership]> => {
          if (!sameLogin(team.org, repo.owner)) {
            return [
              teamName(team),
              { error: `only teams of ${repo.owner}, the repository's owner, can be checked` },
            ];
          }
          const membership = await settle(lookups.getTeamMembership(octokit, team, actor.login));
          return [
            teamName(team),
            membership.ok ? membership.value : { error: describeError(membership.error) },
          ];
        }),
      ),
      needs.authors
        ? settle(lookups.getChangeAuthors(octokit, repo, request.checkRun.head_sha)).then(
            (result) => (result.ok ? result.value : { error: describeError(result.error) }),
          )
        : undefined,
    ]);

    const verdict = evaluateDecision(rule, {
      ...facts,
      teams: Object.fromEntries(memberships),
      authors,
    });
    if (verdict.kind === "refused") return refused(verdict.reason, quorum);
    if (request.breakGlass) {
      const listed = await checkBreakGlass(load.value.policy, approval, {
        login: actor.login,
        owner: repo.owner,
        reason: request.reason,
        isMember: (team) => lookups.getTeamMembership(octokit, team, actor.login),
      });
      if (listed.kind === "refused") return refused(listed.reason, quorum);
    }
    return { kind: "allowed", requiredApprovals: verdict.requiredApprovals, quorum };
  };
}

/** What the check run shows about who may decide. */
export function quorumOf(rule: ApprovalRule): Quorum {
  return {
    required: rule.requiredApprovals,
    minPermission: rule.minPermission,
    ...(rule.approvers
      ? { users: rule.approvers.users, teams: rule.approvers.teams.map(teamName) }
      : {}),
    excludesAuthors: rule.preventSelfApproval,
  };
}

function refused(reason: string, quorum?: Quorum): Authorization {
  return { kind: "refused", reason, ...(quorum ? { quorum } : {}) };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** "HTTP 500", or the first line of an error's message. */
function describeError(error: unknown): string {
  const status = httpStatusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  const message = error instanceof Error ? error.message.split("\n")[0] : undefined;
  return message ? message.slice(0, 200) : "unknown error";
}
