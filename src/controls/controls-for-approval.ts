import { approvalAddress, type ApprovalAction } from "../approvals/approval.js";
import { matchesAddress } from "../policy/match-address.js";
import type { Policy } from "../policy/parse-policy.js";
import { splitApprovers, type Approvers, type Permission } from "../policy/rule-for-approval.js";

/** The policy's approval controls for one approval: docs/controls.md. */
export interface ApprovalControls {
  /** The least permission that may `/hold` (default `triage`: people who triage issues). */
  holdMinPermission: Permission;
  /** Who may `/approve --break-glass <reason>`; empty turns break-glass off. */
  breakGlass: Approvers;
}

export const controlDefaults = {
  hold_min_permission: "triage",
  break_glass: [] as string[],
} as const;

/**
 * Pure: the controls of the first rule whose `match` fits, key by key over the defaults, exactly
 * as ruleForApproval layers the other keys.
 */
export function controlsForApproval(policy: Policy, action: ApprovalAction): ApprovalControls {
  const address = approvalAddress(action);
  const matched = policy.rules.find((rule) => matchesAddress(rule.match, address));
  const layers = matched ? [matched, policy.defaults] : [policy.defaults];
  const holdMinPermission =
    layers.find((layer) => layer.hold_min_permission !== undefined)?.hold_min_permission ??
    controlDefaults.hold_min_permission;
  const breakGlass =
    layers.find((layer) => layer.break_glass !== undefined)?.break_glass ??
    controlDefaults.break_glass;
  return { holdMinPermission, breakGlass: splitApprovers(breakGlass) };
}
