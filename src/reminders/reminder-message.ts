import type { PendingApproval } from "../approvals/approval.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import { reminderMessageType, type ReminderMessage } from "../intake/queue-message.schema.js";

/** The timer message for one approval on one commit; only what the due check needs. */
export function reminderMessageFor(
  approval: PendingApproval,
  commit: SourceCommit,
  dueAt: string,
): ReminderMessage {
  const { account, region, pipelineName, stageName, actionName, executionId, token } = approval;
  return {
    type: reminderMessageType,
    v: 1,
    dueAt,
    approval: {
      ...(account ? { account } : {}),
      region,
      pipelineName,
      stageName,
      actionName,
      executionId,
      token,
      expiresAt: new Date(Date.parse(approval.expiresAt)).toISOString(),
    },
    commit: { owner: commit.owner, repo: commit.repo, sha: commit.sha },
  };
}

/** The approval a reminder is about, as the CodePipeline and check-run lookups take it. */
export function approvalOfReminder(message: ReminderMessage): PendingApproval {
  return { ...message.approval };
}
