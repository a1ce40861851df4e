import { channelLabels } from "../approvals/approval.js";
import type { PolicyProblem, Quorum } from "../approvals/check-run-record.schema.js";
import { codeSpan, escapeMarkdown, quietMention } from "./escape-markdown.js";

/**
 * Who may decide, as the policy read at intake (or at the latest attempt) says: the number of
 * approvals, the approvers as the policy names them, the minimum permission, the self-approval
 * rule and the channels. Shown from the moment the approval appears, so nobody learns the rules
 * from a refusal. See docs/reviewing.md.
 */
export function renderWhoMayDecide(quorum: Quorum): string {
  const approvals = quorum.required === 1 ? "1 approval" : `${quorum.required} approvals`;
  const lines = [
    `- **Needs** ${approvals} from ${approversOf(quorum)}, with **${escapeMarkdown(quorum.minPermission)}** permission or higher.`,
    quorum.excludesAuthors
      ? "- **Self-approval** is not allowed: whoever took part in the change (its commit authors, committer, pull request author or merger) cannot approve it."
      : "- **Self-approval** is allowed: the change's authors may approve it too.",
  ];
  if (quorum.channels) lines.push(`- **Decide through** ${channelList(quorum.channels)}.`);
  if (quorum.reasonOnReject) lines.push("- **Rejecting** needs a reason.");
  return ["**Who may decide**", "", ...lines].join("\n");
}

function approversOf(quorum: Quorum): string {
  if (!quorum.users && !quorum.teams) return "anyone";
  const named = [
    ...(quorum.users ?? []).map(quietMention),
    ...(quorum.teams ?? []).map((team) => `a member of ${escapeMarkdown(team)}`),
  ];
  return orList(named) || "nobody (the policy lists no approver)";
}

function channelList(channels: readonly (keyof typeof channelLabels)[]): string {
  if (channels.length === 0) return "no GitHub channel (decide in the AWS console)";
  return orList(channels.map((channel) => `${channelLabels[channel]}s`));
}

/** "a", "a or b", "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/**
 * Instead of who may decide, when the policy read at intake named no one: nobody, until the policy
 * can be read. The problems are the repository's own text (its file's keys and values): escaped.
 */
export function renderPolicyProblem(problem: PolicyProblem): string {
  if (problem.kind === "unreadable") {
    return [
      "**Who may decide**",
      "",
      "⚠️ The policy file could not be read when this check run was created. It is read again at every decision; while it cannot be read, every decision is refused.",
    ].join("\n");
  }
  const files = problem.files.map(codeSpan).join(" and ") || "The policy file";
  return [
    "**Who may decide**",
    "",
    `⚠️ Nobody yet: ${files} ${problem.files.length > 1 ? "are" : "is"} not a valid policy, and every decision is refused until it is fixed:`,
    "",
    ...problem.problems.map((line) => `- ${codeSpan(line)}`),
  ].join("\n");
}
