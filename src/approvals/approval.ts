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

export function checkRunName(action: ApprovalAction): string {
  return `CodePipeline: ${approvalAddress(action)}`;
}
