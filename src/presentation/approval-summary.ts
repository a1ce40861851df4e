import { channelLabels, type Channel, type Verdict } from "../approvals/approval.js";
import { clipText } from "./clip-text.js";

/** PutApprovalResult accepts a summary of at most 512 characters. */
export const awsSummaryLimit = 512;

/**
 * The summary CodePipeline records with the result: who decided, through which channel, and why.
 * It is also how a later reader tells a decision made through GitHub from one made in the console.
 * With a quorum it names every approver, grouped by channel: "Approved via GitHub by @alice,
 * @bob (check run button) and @carol (PR comment)". When that is too long the reason gives way
 * first, then the last approvers ("and 3 more").
 */
export function summarizeDecision(input: {
  verdict: Verdict;
  deciders: string[];
  channel: Channel;
  reason?: string | undefined;
  /** Each approver's channel, when several people decided together. */
  votes?: { login: string; channel: Channel }[] | undefined;
}): string {
  const verb = input.verdict === "Approved" ? "Approved" : "Rejected";
  const votes = input.votes ?? input.deciders.map((login) => ({ login, channel: input.channel }));
  const reason = input.reason?.replace(/\s+/g, " ").trim();
  for (let shown = votes.length; shown >= 1; shown--) {
    const head = `${verb} via GitHub by ${namesByChannel(votes.slice(0, shown), votes.length - shown)}`;
    if (head.length > awsSummaryLimit) continue;
    const full = reason ? `${head}: ${reason}` : head;
    if (full.length <= awsSummaryLimit) return full;
    if (head.length + 3 <= awsSummaryLimit) return clipText(full, awsSummaryLimit);
  }
  const head = `${verb} via GitHub by ${namesByChannel(votes.slice(0, 1), votes.length - 1)}`;
  return clipText(head, awsSummaryLimit);
}

/** "@alice, @bob (check run button) and @carol (PR comment)", plus "and 2 more" when cut. */
function namesByChannel(votes: { login: string; channel: Channel }[], hidden: number): string {
  const groups: { channel: Channel; logins: string[] }[] = [];
  for (const vote of votes) {
    const group = groups.find((candidate) => candidate.channel === vote.channel);
    if (group) group.logins.push(vote.login);
    else groups.push({ channel: vote.channel, logins: [vote.login] });
  }
  const parts = groups.map(
    (group) =>
      `${group.logins.map((login) => `@${login}`).join(", ")} (${channelLabels[group.channel]})`,
  );
  if (hidden > 0) parts.push(`${hidden} more`);
  return parts.length <= 1
    ? (parts[0] ?? "")
    : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/**
 * A break-glass approval's summary starts with `BREAK-GLASS: `, so whoever reads the execution in
 * the AWS console sees the override first (docs/controls.md); the reason may give way to fit.
 */
export function breakGlassSummary(breakGlass: boolean, summary: string): string {
  return breakGlass ? clipText(`BREAK-GLASS: ${summary}`, awsSummaryLimit) : summary;
}

/** True for summaries written by summarizeDecision (break-glass ones too). */
export function isGitHubSummary(summary: string | undefined): boolean {
  return /^(BREAK-GLASS: )?(Approved|Rejected) via GitHub by @/.test(summary ?? "");
}
