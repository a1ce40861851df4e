import type { PendingApproval } from "../approvals/approval.js";
import type { Policy } from "../policy/parse-policy.js";
import { teamName, type ApprovalRule, type TeamRef } from "../policy/rule-for-approval.js";
import { controlsForApproval } from "./controls-for-approval.js";

export type BreakGlassCheck = { kind: "allowed" } | { kind: "refused"; reason: string };

/**
 * What break-glass lifts from the rule: the quorum and `prevent_self_approval`. Everything else
 * (bots, channel switches, `min_permission`, `approvers`) is checked as for any approval.
 * See docs/controls.md, "Break-glass".
 */
export function liftForBreakGlass(rule: ApprovalRule): ApprovalRule {
  return { ...rule, requiredApprovals: 1, preventSelfApproval: false };
}

/**
 * Whether a break-glass approval may go ahead: it needs a reason, and the person must be on the
 * policy's `break_glass` list, by login or through an active team membership (`isMember`, which
 * throws when it cannot tell: then it refuses, failing closed). Only teams of the repository's
 * owner are asked, as for `approvers`.
 */
export async function checkBreakGlass(
  policy: Policy,
  approval: PendingApproval,
  {
    login,
    owner,
    reason,
    isMember,
  }: {
    login: string;
    owner: string;
    reason: string | undefined;
    isMember: (team: TeamRef) => Promise<"member" | "not-member">;
  },
): Promise<BreakGlassCheck> {
  if (!reason?.trim()) {
    return refused("break-glass needs a reason: `/approve --break-glass <reason>`");
  }
  const { users, teams } = controlsForApproval(policy, approval).breakGlass;
  if (users.length === 0 && teams.length === 0) {
    return refused("break-glass is off for this approval: the policy's break_glass list is empty");
  }
  if (users.some((user) => same(user, login))) return { kind: "allowed" };
  for (const team of teams) {
    if (!same(team.org, owner)) continue;
    const membership = await isMember(team).catch((error: unknown) => error);
    if (membership === "member") return { kind: "allowed" };
    if (membership !== "not-member") {
      return refused(
        `could not check whether @${login} is in ${teamName(team)}, which break_glass names`,
      );
    }
  }
  const listed = [...users.map((user) => `@${user}`), ...teams.map(teamName)].join(", ");
  return refused(`@${login} is not on the break-glass list (${listed})`);
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function refused(reason: string): BreakGlassCheck {
  return { kind: "refused", reason };
}
