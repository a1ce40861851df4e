import type { Authorize } from "../approvals/decide-approval.js";
import type { GitHubClient } from "../github/github-client.js";
import { getRepositoryRole } from "../github/repository-role.js";
import { defaultRules, evaluateDecision, type ApprovalRules } from "./evaluate-decision.js";

/**
 * Gathers the facts the policy needs (always fresh: a permission is never cached) and evaluates
 * them. Any lookup that fails throws, and the decision path refuses: it fails closed.
 */
export function createAuthorizer(
  octokit: GitHubClient,
  rulesFor: () => Promise<ApprovalRules> = async () => defaultRules,
): Authorize {
  return async (request) => {
    if (request.actor.isBot) {
      return evaluateDecision(defaultRules, { ...request, ...request.actor, role: "none" });
    }
    const [rules, role] = await Promise.all([
      rulesFor(),
      getRepositoryRole(octokit, request.repo, request.actor.login),
    ]);
    return evaluateDecision(rules, {
      login: request.actor.login,
      isBot: false,
      role,
      channel: request.channel,
      verdict: request.verdict,
    });
  };
}
