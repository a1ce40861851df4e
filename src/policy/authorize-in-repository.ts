import type { PendingApproval } from "../approvals/approval.js";
import type { Quorum } from "../approvals/check-run-record.schema.js";
import type { Authorization, DecisionRequest } from "../approvals/decision-types.js";
import type { getChangeAuthors } from "../github/change-authors.js";
import { httpStatusOf, type GitHubClient, type RepoRef } from "../github/github-client.js";
import type { getRepositoryRole } from "../github/repository-role.js";
import type { getTeamMembership } from "../github/team-membership.js";
import { clipText } from "../presentation/clip-text.js";
import {
  evaluateDecision,
  lookupsNeeded,
  precheckDecision,
  sameLogin,
  type DecisionFacts,
  type Membership,
} from "./evaluate-decision.js";
import type { loadPolicy } from "./load-policy.js";
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

/** The decision under one repository's policy, the person's role there and its commit's authors. */
export async function authorizeInRepository(
  lookups: AuthorizerLookups,
  octokit: GitHubClient,
  repo: RepoRef,
  sha: string,
  request: DecisionRequest,
  approval: PendingApproval,
): Promise<Authorization> {
  const { actor } = request;
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
      ? settle(lookups.getChangeAuthors(octokit, repo, sha)).then((result) =>
          result.ok ? result.value : { error: describeError(result.error) },
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
    channels: rule.channels,
    reasonOnReject: rule.requireReasonOnReject,
  };
}

export function refused(reason: string, quorum?: Quorum): Authorization {
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
  return message ? clipText(message, 200) : "unknown error";
}
