import type { ApprovalAction, Channel } from "../approvals/approval.js";
import type { PolicyLoad } from "./parse-policy.js";
import { builtInDefaults, ruleForApproval } from "./rule-for-approval.js";

/**
 * Whether a channel may decide anything in this repository: its defaults or any rule allow it.
 * The decision path still checks the rule of each approval. With an invalid policy the built-in
 * defaults answer, so a command still reaches the decision path and is refused there with the
 * file's problem quoted, while the opt-in `reviews` channel stays silent.
 */
export function isChannelEnabled(load: PolicyLoad, channel: Channel): boolean {
  if (load.kind === "invalid")
    return (builtInDefaults.channels as readonly Channel[]).includes(channel);
  const { defaults, rules } = load.policy;
  const byDefault = (defaults.channels ?? builtInDefaults.channels).includes(channel);
  return byDefault || rules.some((rule) => rule.channels?.includes(channel));
}

/**
 * Whether to post the notice on pull requests: `notify_pr` of the approval's rule when the
 * approval is known, of the defaults otherwise. An invalid policy keeps the default (true), so
 * people still learn there is something to decide.
 */
export function shouldNotifyPullRequests(load: PolicyLoad, action?: ApprovalAction): boolean {
  if (load.kind === "invalid") return builtInDefaults.notify_pr;
  if (action) return ruleForApproval(load.policy, action).notifyPr;
  return load.policy.defaults.notify_pr ?? builtInDefaults.notify_pr;
}
