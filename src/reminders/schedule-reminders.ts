import type { Logger } from "probot";
import type { PendingApproval } from "../approvals/approval.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import type { InstallationClients } from "../github/installation-clients.js";
import { describeInvalidPolicy } from "../policy/parse-policy.js";
import type { PolicyLoader } from "../policy/remember-policy-loads.js";
import { ruleForApproval } from "../policy/rule-for-approval.js";
import { reminderMessageFor } from "./reminder-message.js";
import type { ReminderQueue } from "./reminder-queue.js";
import { nextDelaySeconds, reminderDueAt } from "./reminder-timing.js";

/** Called by intake once the approval's check runs exist: starts each commit's reminder timer. */
export type ScheduleReminders = (
  approval: PendingApproval,
  commits: readonly SourceCommit[],
  deps: { github: InstallationClients; log: Logger },
) => Promise<void>;

/**
 * For each commit whose repository's policy sets `remind_before`, one delayed message on the
 * bridge's own queue (src/reminders/handle-reminder.ts takes it from there). Made once per queue
 * message: a retry of the same message (a later step of intake failed) schedules nothing twice.
 * Intake calls it only for the commits whose check run it created and kept as the live one, so a
 * redelivered notification, or a replica that lost the race, starts no second chain: two chains
 * would post at the same moment, and deleting the later comment (post-reminder.ts) does not take
 * back its mentions. The price: a delivery that dies between creating the run and this call
 * leaves that approval without a reminder (docs/design.md, "Reminders"). A failure here never
 * fails the intake, whose check run is what matters: it is logged as the approval getting no
 * reminder.
 */
export function createReminderScheduler({
  queue,
  loadPolicy,
  now = () => new Date(),
}: {
  queue: ReminderQueue;
  loadPolicy: PolicyLoader;
  now?: () => Date;
}): ScheduleReminders {
  const scheduled = new Set<string>();
  return async (approval, commits, { github, log }) => {
    await Promise.all(
      commits.map(async (commit) => {
        const key = `${approval.token}|${commit.owner}/${commit.repo}|${commit.sha}`.toLowerCase();
        if (scheduled.has(key)) return;
        const repo = { owner: commit.owner, repo: commit.repo };
        const commitLog = log.child({
          commit: commit.sha,
          repository: `${repo.owner}/${repo.repo}`,
        });
        try {
          const octokit = await github.forRepository(repo);
          if (!octokit) return;
          const load = await loadPolicy(octokit, repo);
          if (load.kind === "invalid") {
            // Fail closed: no mentions from a file nobody can read correctly. Decisions on the
            // approval are refused with the same problem quoted.
            commitLog.warn(
              { problems: load.problems, files: load.files },
              `no reminder scheduled: ${describeInvalidPolicy(load)}`,
            );
            return;
          }
          const remindBeforeMs = ruleForApproval(load.policy, approval).remindBeforeMs;
          if (remindBeforeMs === undefined) return;
          const dueAt = reminderDueAt(approval.expiresAt, remindBeforeMs);
          const delaySeconds = nextDelaySeconds(dueAt, now());
          await queue.send(reminderMessageFor(approval, commit, dueAt), delaySeconds);
          scheduled.add(key);
          commitLog.info({ dueAt, delaySeconds }, "reminder scheduled");
        } catch (error) {
          commitLog.error(
            { err: error },
            "could not schedule the reminder (policy read or sqs:SendMessage failed): this approval gets no reminder",
          );
        }
      }),
    );
  };
}
