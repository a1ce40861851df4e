/**
 * SQS delays one message by at most 15 minutes, so a longer wait is a chain of messages, each
 * re-sent with the time still left. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html
 */
export const maxDelaySeconds = 900;

/** When to remind: `remindBeforeMs` before the approval expires. */
export function reminderDueAt(expiresAt: string, remindBeforeMs: number): string {
  return new Date(Date.parse(expiresAt) - remindBeforeMs).toISOString();
}

/**
 * The delay for the next message of the chain: the time left until `dueAt`, rounded up to whole
 * seconds and capped at 900; 0 when it is due (or already overdue, e.g. `remind_before` longer
 * than the approval has left).
 */
export function nextDelaySeconds(dueAt: string, now: Date): number {
  const left = Date.parse(dueAt) - now.getTime();
  return left <= 0 ? 0 : Math.min(maxDelaySeconds, Math.ceil(left / 1000));
}

export function isDue(dueAt: string, now: Date): boolean {
  return Date.parse(dueAt) <= now.getTime();
}
