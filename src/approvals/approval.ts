/** One manual approval action of one pipeline, in one account and region. */
export interface ApprovalAction {
  /**
   * The AWS account of the pipeline; absent in check runs created before accounts were recorded,
   * which belong to the bridge's own account. docs/multi-account.md
   */
  account?: string | undefined;
  region: string;
  pipelineName: string;
  stageName: string;
  actionName: string;
}

/** One request for a decision: an approval action waiting in one pipeline execution. */
export interface PendingApproval extends ApprovalAction {
  executionId: string;
  token: string;
  expiresAt: string;
  approvalReviewLink?: string | undefined;
  externalEntityLink?: string | undefined;
  customData?: string | undefined;
  /** The account's alias (AWS_ACCOUNT_ALIASES) when the approval was published, to show. */
  accountAlias?: string | undefined;
  /**
   * Every GitHub source commit of the execution, when there are several: a decision must be
   * allowed by the policy of each source repository (docs/policy.md, "Several sources").
   */
  sources?: SourceRef[] | undefined;
}

/** One GitHub source commit of a pipeline execution. */
export interface SourceRef {
  owner: string;
  repo: string;
  sha: string;
}

export type Verdict = "Approved" | "Rejected";

/** The ways a person can answer; the names are the ones the policy file's `channels` uses. */
export const channels = ["buttons", "pr_comments", "commit_comments", "reviews"] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = {
  buttons: "check run button",
  pr_comments: "PR comment",
  commit_comments: "commit comment",
  reviews: "PR review",
};

/** `pipeline/stage/action`: how people name an approval in commands and how check runs are named. */
export function approvalAddress(action: ApprovalAction): string {
  return `${action.pipelineName}/${action.stageName}/${action.actionName}`;
}

/**
 * The check run's name. GitHub lists only the newest check run per name (`filter: latest`), so an
 * approval from another account than the bridge's own is named with its account id: the same
 * `pipeline/stage/action` in two accounts on one commit are two check runs, not one hiding the
 * other. The id, not the alias: the name is looked up again by later events, and an alias may be
 * renamed meanwhile. Approvals of the bridge's own account (and with no home account configured,
 * every approval) keep the plain name, so required status checks do not change.
 * docs/multi-account.md
 */
export function checkRunName(action: ApprovalAction, home?: string | undefined): string {
  const plain = `CodePipeline: ${approvalAddress(action)}`;
  return isOtherAccount(action, home) ? `${plain} (${action.account})` : plain;
}

/** An approval from an account other than the bridge's own (`home`, when one is configured). */
export function isOtherAccount(action: ApprovalAction, home: string | undefined): boolean {
  return home !== undefined && action.account !== undefined && action.account !== home;
}

/**
 * The address qualified by the account, as a command may name it: `staging:web/Prod/Approve` or
 * `222222222222:web/Prod/Approve`. ":" is in no CodePipeline name, so it cannot be misread.
 */
export function qualifiedAddress(
  action: ApprovalAction & { accountAlias?: string | undefined },
): string {
  const account = action.accountAlias ?? action.account;
  return account ? `${account}:${approvalAddress(action)}` : approvalAddress(action);
}
