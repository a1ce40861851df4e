import { channelLabels, type Channel, type Verdict } from "../approvals/approval.js";
import type { ChangeAuthor } from "../github/change-authors.js";
import { repositoryRoles, type RepositoryRole } from "../github/repository-role.js";
import { teamName, type ApprovalRule, type TeamRef } from "./rule-for-approval.js";

/** A team lookup's answer; an error is kept as text so the refusal can say what failed. */
export type Membership = "member" | "not-member" | { error: string };

/** What is known about a person asking to decide, gathered before the (pure) evaluation. */
export interface DecisionFacts {
  login: string;
  isBot: boolean;
  role: RepositoryRole;
  channel: Channel;
  verdict: Verdict;
  reason?: string | undefined;
  /** Team lookups by "org/slug"; only the teams `lookupsNeeded` asked for. */
  teams?: Record<string, Membership> | undefined;
  /** The change's authors, or why they could not be read; only when `lookupsNeeded` asked. */
  authors?: ChangeAuthor[] | { error: string } | undefined;
}

export type PolicyVerdict =
  { kind: "allowed"; requiredApprovals: number } | { kind: "refused"; reason: string };

/** The lookups a decision needs beyond the role, so nothing is fetched that cannot matter. */
export function lookupsNeeded(
  rule: ApprovalRule,
  facts: Pick<DecisionFacts, "login" | "verdict">,
): { teams: TeamRef[]; authors: boolean } {
  const listed = rule.approvers?.users.some((user) => sameLogin(user, facts.login)) ?? true;
  return {
    teams: listed ? [] : (rule.approvers?.teams ?? []),
    authors: rule.preventSelfApproval && facts.verdict === "Approved",
  };
}

/**
 * The checks that need only the role, run first so that a refusal costs no further lookups:
 * bots, channels, permission, and a missing reason.
 */
export function precheckDecision(
  rule: ApprovalRule,
  facts: DecisionFacts,
): PolicyVerdict | undefined {
  if (facts.isBot) return refused("bots and apps may not decide approvals");
  if (!rule.channels.includes(facts.channel)) {
    const allowed = rule.channels.map((channel) => `${channelLabels[channel]}s`).join(", ");
    return refused(
      `decisions by ${channelLabels[facts.channel]} are not allowed for this approval (policy ${rule.source} allows ${allowed || "no GitHub channel"})`,
    );
  }
  if (rank(facts.role) < rank(rule.minPermission)) {
    return refused(
      `@${facts.login} has ${facts.role} permission; deciding needs ${rule.minPermission} or higher`,
    );
  }
  if (rule.requireReasonOnReject && facts.verdict === "Rejected" && !facts.reason?.trim()) {
    return refused(
      facts.channel === "buttons"
        ? "a reason is required to reject, and a button cannot carry one: comment `/reject <reason>` instead"
        : "a reason is required to reject: `/reject <reason>`",
    );
  }
  return undefined;
}

/** Pure: the policy's answer for one person, one approval, one verdict. */
export function evaluateDecision(rule: ApprovalRule, facts: DecisionFacts): PolicyVerdict {
  const early = precheckDecision(rule, facts);
  if (early) return early;
  const approverProblem = checkApprovers(rule, facts);
  if (approverProblem) return refused(approverProblem);
  const selfProblem = checkSelfApproval(rule, facts);
  if (selfProblem) return refused(selfProblem);
  return { kind: "allowed", requiredApprovals: rule.requiredApprovals };
}

function checkApprovers(rule: ApprovalRule, facts: DecisionFacts): string | undefined {
  const approvers = rule.approvers;
  if (!approvers) return undefined;
  if (approvers.users.some((user) => sameLogin(user, facts.login))) return undefined;
  const results = approvers.teams.map((team) => ({
    team,
    membership: facts.teams?.[teamName(team)] ?? { error: "not looked up" },
  }));
  if (results.some(({ membership }) => membership === "member")) return undefined;
  const unknown = results.find(({ membership }) => typeof membership === "object");
  if (unknown && typeof unknown.membership === "object") {
    return `could not check whether @${facts.login} is in ${teamName(unknown.team)} (${unknown.membership.error})`;
  }
  const users = approvers.users.map((user) => `@${user}`).join(", ");
  const teams = approvers.teams.map(teamName).join(" or ");
  if (!teams) return `@${facts.login} is not one of the approvers (${users})`;
  if (!users) return `@${facts.login} is not in ${teams}`;
  return `@${facts.login} is not one of the approvers (${users}) and not in ${teams}`;
}

function checkSelfApproval(rule: ApprovalRule, facts: DecisionFacts): string | undefined {
  if (!rule.preventSelfApproval || facts.verdict !== "Approved") return undefined;
  const authors = facts.authors ?? { error: "not looked up" };
  if (!Array.isArray(authors)) {
    return `could not check who authored this change (${authors.error}); prevent_self_approval needs it`;
  }
  const roles = authors.filter(
    (author) => author.login !== null && sameLogin(author.login, facts.login),
  );
  if (roles.length > 0) {
    const how = [...new Set(roles.map((role) => role.as))].join(", ");
    return `@${facts.login} may not approve a change they took part in (${how}): prevent_self_approval requires someone else`;
  }
  // Nobody can be matched against an identity linked to no account, so it could be the person
  // approving: refused unless the policy accepts such changes on purpose (docs/policy.md).
  const unknown = authors.filter((author) => author.login === null);
  if (unknown.length === 0 || rule.unattributedChanges === "allow") return undefined;
  const who = [...new Set(unknown.map((author) => author.as))].join(", ");
  return `this change cannot be attributed: no GitHub account is linked to the email of its ${who}, so prevent_self_approval cannot rule out that @${facts.login} made it (a policy may accept such changes with unattributed_changes: allow)`;
}

export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function rank(role: RepositoryRole): number {
  return repositoryRoles.indexOf(role);
}

function refused(reason: string): PolicyVerdict {
  return { kind: "refused", reason };
}
