import { channelLabels, type Channel, type Verdict } from "./approval.js";

/** PutApprovalResult accepts a summary of at most 512 characters. */
export const awsSummaryLimit = 512;

/**
 * The summary CodePipeline records with the result: who decided, through which channel, and why.
 * It is also how a later reader tells a decision made through GitHub from one made in the console.
 */
export function summarizeDecision(input: {
  verdict: Verdict;
  deciders: string[];
  channel: Channel;
  reason?: string | undefined;
}): string {
  const verb = input.verdict === "Approved" ? "Approved" : "Rejected";
  const who = input.deciders.map((login) => `@${login}`).join(", ");
  const head = `${verb} via GitHub by ${who} (${channelLabels[input.channel]})`;
  const reason = input.reason?.replace(/\s+/g, " ").trim();
  const full = reason ? `${head}: ${reason}` : head;
  if (full.length <= awsSummaryLimit) return full;
  if (head.length + 3 > awsSummaryLimit) return `${head.slice(0, awsSummaryLimit - 1)}…`;
  return `${full.slice(0, awsSummaryLimit - 1)}…`;
}

/** True for summaries written by summarizeDecision. */
export function isGitHubSummary(summary: string | undefined): boolean {
  return /^(Approved|Rejected) via GitHub by @/.test(summary ?? "");
}
