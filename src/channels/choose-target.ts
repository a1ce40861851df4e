import { approvalAddress } from "../approvals/approval.js";
import type { TrackedApproval } from "../approvals/check-run-record.js";

export type TargetChoice<T> =
  | { kind: "one"; chosen: T }
  | { kind: "none-pending" }
  | { kind: "ambiguous"; candidates: T[] }
  | { kind: "no-match"; target: string; candidates: T[] };

/**
 * Which pending approval a command means. A bare command decides only when exactly one approval is
 * pending: with several, guessing could approve the wrong deployment, so the answer is the list.
 * A target picks by `pipeline/stage/action` or a prefix of whole parts of it (case-insensitive):
 * `web/Prod` may mean `web/Prod/Approve`, but never `web/ProdEU/Gate`, and `web/Prod/Approve`
 * never means `web/Prod/Approve2`: a partial name could decide an action nobody named.
 * `account:address` picks among approvals of that AWS account only (its id or alias, as recorded).
 */
export function chooseTarget<T extends { tracked: TrackedApproval }>(
  pending: readonly T[],
  target?: string,
): TargetChoice<T> {
  if (pending.length === 0) return { kind: "none-pending" };
  if (target === undefined) {
    return pending.length === 1
      ? { kind: "one", chosen: pending[0]! }
      : { kind: "ambiguous", candidates: [...pending] };
  }
  const [account, wanted] = splitAccount(target.toLowerCase());
  const inAccount = (item: T) => {
    const { approval } = item.tracked;
    return (
      account === undefined ||
      approval.account === account ||
      approval.accountAlias?.toLowerCase() === account
    );
  };
  const addressOf = (item: T) =>
    inAccount(item) ? approvalAddress(item.tracked.approval).toLowerCase() : undefined;
  const exact = pending.filter((item) => addressOf(item) === wanted);
  if (exact.length === 1) return { kind: "one", chosen: exact[0]! };
  // The same address in two AWS accounts (docs/multi-account.md): named, but not told apart.
  if (exact.length > 1) return { kind: "ambiguous", candidates: exact };
  const prefix = wanted.endsWith("/") ? wanted : `${wanted}/`;
  const matches = pending.filter((item) => addressOf(item)?.startsWith(prefix));
  if (matches.length === 1) return { kind: "one", chosen: matches[0]! };
  if (matches.length === 0) return { kind: "no-match", target, candidates: [...pending] };
  return { kind: "ambiguous", candidates: matches };
}

/** `staging:web/Prod` → the account part (undefined when none) and the address part. */
function splitAccount(target: string): [string | undefined, string] {
  const colon = target.indexOf(":");
  return colon < 0 ? [undefined, target] : [target.slice(0, colon), target.slice(colon + 1)];
}
