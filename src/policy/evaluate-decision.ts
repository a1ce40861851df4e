import type { Channel, Verdict } from "../approvals/approval.js";
import { repositoryRoles, type RepositoryRole } from "../github/repository-role.js";

/** The rules that apply to one approval. */
export interface ApprovalRules {
  minPermission: RepositoryRole;
  requiredApprovals: number;
  channels: readonly Channel[];
}

export const defaultRules: ApprovalRules = {
  minPermission: "write",
  requiredApprovals: 1,
  channels: ["buttons", "pr_comments", "commit_comments"],
};

/** What is known about a person asking to decide, gathered before the (pure) evaluation. */
export interface DecisionFacts {
  login: string;
  isBot: boolean;
  role: RepositoryRole;
  channel: Channel;
  verdict: Verdict;
}

export type PolicyVerdict =
  { kind: "allowed"; requiredApprovals: number } | { kind: "refused"; reason: string };

export function evaluateDecision(rules: ApprovalRules, facts: DecisionFacts): PolicyVerdict {
  if (facts.isBot) return { kind: "refused", reason: "bots and apps may not decide approvals" };
  if (!rules.channels.includes(facts.channel)) {
    return {
      kind: "refused",
      reason: `decisions through ${facts.channel} are turned off for this repository`,
    };
  }
  if (rank(facts.role) < rank(rules.minPermission)) {
    return {
      kind: "refused",
      reason: `@${facts.login} has ${facts.role} permission; deciding needs ${rules.minPermission} or higher`,
    };
  }
  return { kind: "allowed", requiredApprovals: rules.requiredApprovals };
}

function rank(role: RepositoryRole): number {
  return repositoryRoles.indexOf(role);
}
