import type { PendingApproval } from "../approvals/approval.js";
import { approvalIdentityOf } from "../approvals/check-run-record.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import { reminderMessageType, type ReminderMessage } from "../intake/queue-message.schema.js";

/** The timer message for one approval on one commit; only what the due check needs. */
export function reminderMessageFor(
  approval: PendingApproval,
  commit: SourceCommit,
  dueAt: string,
): ReminderMessage {
  return {
    type: reminderMessageType,
    v: 1,
    dueAt,
    approval: {
      ...approvalIdentityOf(approval),
      expiresAt: new Date(Date.parse(approval.expiresAt)).toISOString(),
    },
    commit: { owner: commit.owner, repo: commit.repo, sha: commit.sha },
  };
}

/** The approval a reminder is about, as the CodePipeline and check-run lookups take it. */
export function approvalOfReminder(message: ReminderMessage): PendingApproval {
  return { ...message.approval };
}
