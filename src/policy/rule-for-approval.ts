import { approvalAddress, type ApprovalAction, type Channel } from "../approvals/approval.js";
import { matchesAddress } from "./match-address.js";
import { parseDuration } from "./parse-duration.js";
import type { Policy } from "./parse-policy.js";
import type { permissions, PolicySettingsInput } from "./policy.schema.js";

export type Permission = (typeof permissions)[number];

export interface TeamRef {
  org: string;
  slug: string;
}

/** Who is named in `approvers`; absent means anyone with `min_permission`. */
export interface Approvers {
  users: string[];
  teams: TeamRef[];
}

/** Everything that applies to one approval, once defaults and the matching rule are combined. */
export interface ApprovalRule {
  /** "defaults", or the rule that matched, for messages: `rules.1 ("my-pipeline/Prod/*")`. */
  source: string;
  minPermission: Permission;
  requiredApprovals: number;
  preventSelfApproval: boolean;
  /** With preventSelfApproval: whether a change no GitHub account can be tied to may be approved. */
  unattributedChanges: "allow" | "refuse";
  requireReasonOnReject: boolean;
  channels: Channel[];
  notifyPr: boolean;
  approvers?: Approvers | undefined;
  /** `remind_before` in milliseconds; absent means no reminder (docs/policy.md, "Reminders"). */
  remindBeforeMs?: number | undefined;
}

/** What applies without a policy file, and to every key a file leaves out. */
export const builtInDefaults = {
  min_permission: "write",
  required_approvals: 1,
  prevent_self_approval: false,
  unattributed_changes: "refuse",
  require_reason_on_reject: false,
  channels: ["buttons", "pr_comments", "commit_comments"],
  notify_pr: true,
} as const satisfies PolicySettingsInput;

/** The first rule whose `match` fits wins over the defaults, key by key. */
export function ruleForApproval(policy: Policy, action: ApprovalAction): ApprovalRule {
  const address = approvalAddress(action);
  const index = policy.rules.findIndex((rule) => matchesAddress(rule.match, address));
  const matched = index >= 0 ? policy.rules[index] : undefined;
  const layers: PolicySettingsInput[] = matched ? [matched, policy.defaults] : [policy.defaults];
  const setting = <K extends keyof PolicySettingsInput>(key: K) =>
    layers.find((layer) => layer[key] !== undefined)?.[key];
  const approvers = setting("approvers");
  const remindBefore = setting("remind_before");
  return {
    source: matched ? `rules.${index} ("${matched.match}")` : "defaults",
    minPermission: setting("min_permission") ?? builtInDefaults.min_permission,
    requiredApprovals: setting("required_approvals") ?? builtInDefaults.required_approvals,
    preventSelfApproval: setting("prevent_self_approval") ?? builtInDefaults.prevent_self_approval,
    unattributedChanges: setting("unattributed_changes") ?? builtInDefaults.unattributed_changes,
    requireReasonOnReject:
      setting("require_reason_on_reject") ?? builtInDefaults.require_reason_on_reject,
    channels: [...new Set(setting("channels") ?? builtInDefaults.channels)],
    notifyPr: setting("notify_pr") ?? builtInDefaults.notify_pr,
    ...(approvers ? { approvers: splitApprovers(approvers) } : {}),
    ...(remindBefore ? { remindBeforeMs: parseDuration(remindBefore) } : {}),
  };
}

export function splitApprovers(names: readonly string[]): Approvers {
  const users: string[] = [];
  const teams: TeamRef[] = [];
  for (const name of names) {
    const [org, slug] = name.split("/");
    if (org && slug) teams.push({ org, slug: slug.toLowerCase() });
    else users.push(name);
  }
  return { users, teams };
}

export function teamName(team: TeamRef): string {
  return `${team.org}/${team.slug}`;
}
