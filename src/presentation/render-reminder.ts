import { createHash } from "node:crypto";
import { approvalAddress, type PendingApproval } from "../approvals/approval.js";
import type { HoldState } from "../controls/hold-state.js";
import type { Approvers, Permission } from "../policy/rule-for-approval.js";
import { codeSpan, formatTime, quietMention, safeLink } from "./escape-markdown.js";

/**
 * Hidden in every reminder: which approval (its token, hashed: the comment is public to readers of
 * the repository) it reminds of. Before posting, a reminder with this marker means "already
 * reminded"; after posting, the lowest comment id with it is the one kept.
 */
export function reminderMarker(approval: Pick<PendingApproval, "token">): string {
  const digest = createHash("sha256").update(approval.token).digest("hex").slice(0, 24);
  return `<!-- codepipeline-approvals:reminder ${digest} -->`;
}

export interface ReminderView {
  approval: PendingApproval;
  /** The commit the reminder is posted for. */
  sha: string;
  /** Whom the policy names; absent when anyone with `minPermission` may decide. */
  approvers?: Approvers | undefined;
  minPermission: Permission;
  checkRunUrl?: string | null | undefined;
  /** A hold (docs/controls.md): the reminder says it instead of asking for an approval. */
  hold?: HoldState | undefined;
  now: Date;
}

/**
 * The one reminder an approval gets before it expires (docs/policy.md, "Reminders"). The people it
 * mentions come from the policy file on the default branch, which is trusted configuration, so
 * they do notify; every name is checked against GitHub's login and team syntax once more, and one
 * that does not fit is shown without notifying anyone.
 */
export function renderReminder(view: ReminderView): string {
  const { approval } = view;
  const address = codeSpan(approvalAddress(approval));
  const left = Date.parse(approval.expiresAt) - view.now.getTime();
  const who = approverMentions(view.approvers);
  const checkRun = safeLink("check run", view.checkRunUrl ?? undefined) ?? "check run";
  return [
    reminderMarker(approval),
    `### ⏰ Reminder: ${address} expires ${describeTimeLeft(left)}`,
    "",
    `${who ? `${who}: t` : "T"}his approval on commit ${codeSpan(view.sha.slice(0, 7))} is still waiting for a decision. It expires at ${formatTime(approval.expiresAt)} (${describeTimeLeft(left)}); then CodePipeline fails the execution and it has to run again.`,
    "",
    view.hold?.kind === "held"
      ? `It is on hold by ${quietMention(view.hold.by)}: approvals are refused until someone comments \`/unhold\` (the person who held it, or anyone who may approve); a rejection is still possible. The ${checkRun} says why.`
      : who
        ? `Open the ${checkRun} and click **Approve** or **Request changes**, or comment \`/approve\` or \`/reject <reason>\`.`
        : `Anyone with ${view.minPermission} permission or higher on the repository may decide: open the ${checkRun} and click **Approve** or **Request changes**, or comment \`/approve\` or \`/reject <reason>\`.`,
  ].join("\n");
}

/** "@alice @acme/release": users first, then teams, in the policy's order. */
export function approverMentions(approvers: Approvers | undefined): string {
  if (!approvers) return "";
  const names = [...approvers.users, ...approvers.teams.map((team) => `${team.org}/${team.slug}`)];
  return names.map(mention).join(" ");
}

const loginOrTeam = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]{1,100})?$/;

function mention(name: string): string {
  return loginOrTeam.test(name) ? `@${name}` : quietMention(name);
}

/** "in 4 hours", "in 1 day 12 hours", "in 25 minutes", "in less than a minute", "now". */
export function describeTimeLeft(ms: number): string {
  if (ms <= 0) return "now";
  // To the nearest minute: a reminder due "1d" before is read a moment later, not "23 hours 59 minutes".
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "in less than a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    [days, "day"],
    [hours, "hour"],
    [rest, "minute"],
  ] as const;
  const shown = parts
    .filter(([count]) => count > 0)
    .slice(0, 2)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? "" : "s"}`);
  return `in ${shown.join(" ")}`;
}
