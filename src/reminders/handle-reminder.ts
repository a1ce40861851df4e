import type { Logger } from "probot";
import { readTrackedApproval } from "../approvals/check-run-record.js";
import type { ApprovalState, PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { InstallationClients } from "../github/installation-clients.js";
import type { ReminderMessage } from "../intake/queue-message.schema.js";
import { findApprovalRuns } from "../intake/find-approval-runs.js";
import { pullRequestsOfCommit } from "../notices/find-notices.js";
import type { Metrics } from "../ops/metrics.js";
import { loadPolicy as loadPolicyFromGitHub } from "../policy/load-policy.js";
import { describeInvalidPolicy } from "../policy/parse-policy.js";
import type { PolicyLoader } from "../policy/remember-policy-loads.js";
import { ruleForApproval } from "../policy/rule-for-approval.js";
import { reminderMarker, renderReminder } from "../presentation/render-reminder.js";
import { remindOnCommit, remindOnPullRequest, type ReminderPlacement } from "./post-reminder.js";
import { approvalOfReminder, reminderMessageFor } from "./reminder-message.js";
import type { ReminderQueue } from "./reminder-queue.js";
import { isDue, nextDelaySeconds, reminderDueAt } from "./reminder-timing.js";
import { holdStateOf } from "../controls/hold-state.js";

export interface ReminderDeps {
  pipelines: PipelineGateway;
  github: InstallationClients;
  log: Logger;
  appId: number;
  /** Where the next message of the chain goes; absent when the bridge has no queue configured. */
  queue: ReminderQueue | undefined;
  metrics?: Metrics | undefined;
  now?: (() => Date) | undefined;
  /** The bridge's own AWS account: another account's check runs have account-qualified names. */
  home?: string | undefined;
  loadPolicy?: PolicyLoader | undefined;
}

export type ReminderOutcome =
  | { kind: "waiting"; delaySeconds: number }
  | { kind: "skipped"; why: string }
  | { kind: "not-pending"; state: ApprovalState["kind"] }
  | { kind: "reminded"; places: ReminderPlacement[] };

/** CodePipeline's longest approval (7 days) and a day for clocks and queues. */
const longestWaitMs = 8 * 24 * 3_600_000;

/**
 * One message of a reminder's timer. Before its time it is sent again with the time left (at most
 * 15 minutes) and this one is done (deleted). At its time the approval is checked where it lives,
 * CodePipeline first (still pending, this token still the current one), then its check run, and
 * only then is one reminder posted on each pull request of the commit, or on the commit. Nothing
 * when it was decided, expired or superseded meanwhile, or the policy no longer asks for it.
 * A failure throws: the message comes back after the visibility timeout and tries again.
 */
export async function handleReminder(
  message: ReminderMessage,
  deps: ReminderDeps,
): Promise<ReminderOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const approval = approvalOfReminder(message);
  const repo = { owner: message.commit.owner, repo: message.commit.repo };
  const log = deps.log.child({
    reminder: true,
    pipeline: approval.pipelineName,
    executionId: approval.executionId,
    commit: message.commit.sha,
    repository: `${repo.owner}/${repo.repo}`,
  });

  // Expiry first: a chain ends at the latest when its approval expires, whatever its `dueAt`.
  if (Date.parse(approval.expiresAt) <= now.getTime()) {
    log.info("reminder not posted: the approval has expired");
    return { kind: "skipped", why: "expired" };
  }
  // An approval expires at most 7 days after it started: a later expiry is no approval's, and a
  // chain waiting for it would never end.
  if (Date.parse(approval.expiresAt) > now.getTime() + longestWaitMs) {
    log.warn(
      { expiresAt: approval.expiresAt },
      "reminder dropped: its approval would expire more than 8 days from now",
    );
    return { kind: "skipped", why: "expiry too far" };
  }
  if (!isDue(message.dueAt, now)) return wait(message, message.dueAt, now, deps, log);
  const state = await deps.pipelines.readApprovalState(approval, now);
  if (state.kind !== "pending") {
    log.info({ state: state.kind }, "reminder not posted: the approval is no longer pending");
    return { kind: "not-pending", state: state.kind };
  }
  const octokit = await deps.github.forRepository(repo);
  if (!octokit) {
    log.warn("reminder not posted: the GitHub App is no longer installed on the repository");
    return { kind: "skipped", why: "not installed" };
  }
  const load = await (deps.loadPolicy ?? loadPolicyFromGitHub)(octokit, repo);
  if (load.kind === "invalid") {
    log.warn(
      { problems: load.problems, files: load.files },
      `reminder not posted: ${describeInvalidPolicy(load)}`,
    );
    return { kind: "skipped", why: "invalid policy" };
  }
  const rule = ruleForApproval(load.policy, approval);
  if (rule.remindBeforeMs === undefined) {
    log.info("reminder not posted: the policy no longer sets remind_before");
    return { kind: "skipped", why: "remind_before unset" };
  }
  // The policy may have moved the time later since the timer started: wait for the new one.
  const dueNow = reminderDueAt(approval.expiresAt, rule.remindBeforeMs);
  if (!isDue(dueNow, now)) return wait(message, dueNow, now, deps, log);

  const [live] = await findApprovalRuns(
    octokit,
    repo,
    message.commit.sha,
    approval,
    deps.appId,
    deps.home,
  );
  const tracked = live ? readTrackedApproval(live) : undefined;
  if (!live || tracked?.record.resolution.kind !== "pending") {
    log.info(
      { checkRunId: live?.id },
      "reminder not posted: the approval's check run is missing or no longer pending",
    );
    return { kind: "skipped", why: "check run not pending" };
  }

  const marker = reminderMarker(approval);
  const body = renderReminder({
    approval: tracked.approval,
    sha: message.commit.sha,
    approvers: rule.approvers,
    minPermission: rule.minPermission,
    checkRunUrl: live.html_url,
    hold: holdStateOf(tracked.record.history),
    now,
  });
  const pulls = await pullRequestsOfCommit(octokit, repo, message.commit.sha);
  const places =
    pulls.length > 0
      ? await Promise.all(
          pulls.map((pull) =>
            remindOnPullRequest(octokit, repo, pull.number, {
              marker,
              body,
              appId: deps.appId,
              log: log.child({ pullRequest: pull.number }),
            }),
          ),
        )
      : [await remindOnCommit(octokit, repo, message.commit.sha, { marker, body, log })];
  const posted = places.filter((place) => place === "posted").length;
  deps.metrics?.remindersPosted.inc(
    { where: pulls.length > 0 ? "pull_request" : "commit" },
    posted,
  );
  log.info(
    { checkRunId: live.id, pullRequests: pulls.map((pull) => pull.number), places },
    posted > 0 ? "reminder posted" : "reminder already posted",
  );
  return { kind: "reminded", places };
}

async function wait(
  message: ReminderMessage,
  dueAt: string,
  now: Date,
  deps: ReminderDeps,
  log: Logger,
): Promise<ReminderOutcome> {
  if (!deps.queue) {
    throw new Error(
      "a reminder is not due yet, but SQS_QUEUE_URL is not set, so it cannot be sent again",
    );
  }
  const delaySeconds = nextDelaySeconds(dueAt, now);
  const next = reminderMessageFor(approvalOfReminder(message), message.commit, dueAt);
  await deps.queue.send(next, delaySeconds);
  log.debug({ dueAt, delaySeconds }, "reminder not due yet: sent again");
  return { kind: "waiting", delaySeconds };
}
