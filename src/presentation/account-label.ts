import type { PendingApproval } from "../approvals/approval.js";
import { codeSpan, escapeOneLine } from "./escape-markdown.js";

/**
 * The approval's AWS account as people read it: the alias when one was configured, then the id
 * (`staging (111111111111)`). Undefined for a check run created before accounts were recorded.
 */
export function accountLabel({
  account,
  accountAlias,
}: Pick<PendingApproval, "account" | "accountAlias">): string | undefined {
  if (!account) return undefined;
  return accountAlias ? `${escapeOneLine(accountAlias)} (${codeSpan(account)})` : codeSpan(account);
}
