import type { Logger } from "probot";
import type { PendingApproval } from "../approvals/approval.js";
import type { AwsAccounts } from "../codepipeline/aws-accounts.schema.js";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { Metrics } from "../ops/metrics.js";
import type { NotifyPullRequests } from "../notices/notify-pull-requests.js";
import type { InstallationClients } from "../github/installation-clients.js";
import type { ApprovalNotification } from "./queue-message.schema.js";
import { defaultSettleMs, type OnResolved } from "../lifecycle/handle-approval-state-change.js";
import { prepareCheckRun, type ReadPolicy } from "./prepare-check-run.js";
import { publishApproval, type PublishOutcome } from "./publish-approval.js";
import { recheckPublished } from "./recheck-after-publish.js";
import { recheckStaleNotification } from "./recheck-stale-notification.js";
import type { SingleFlight } from "./single-flight.js";
import type { ScheduleReminders } from "../reminders/schedule-reminders.js";

export interface IntakeDeps {
  pipelines: PipelineGateway;
  github: InstallationClients;
  log: Logger;
  /** Whether to post the PR notice; the policy file's notify_pr in production. */
  notifyPullRequests?: NotifyPullRequests;
  metrics?: Metrics;
  /** This app: lists only its check runs and recognises only its own notices. */
  appId: number;
  /** Called after a check run was brought in line with CodePipeline (the PR notice update). */
  onResolved?: OnResolved | undefined;
  /**
   * Publishing that took longer than this reads the approval's state again (see
   * recheck-after-publish.ts): by default half of the lifecycle's default settle window, so the
   * event's looks and this one cannot just miss each other.
   */
  recheckAfterMs?: number | undefined;
  now?: (() => Date) | undefined;
  /**
   * The bridge's own account (of raw-delivered notifications, which name none) and the aliases
   * check runs show; without them, an approval names its account only when the message did.
   */
  accounts?: Pick<AwsAccounts, "home" | "aliases"> | undefined;
  /**
   * Reads the policy before the check run is created, so that it says who may decide from the
   * start (load-policy.ts in production); the notice switch then comes from the same read.
   */
  readPolicy?: ReadPolicy | undefined;
  /**
   * Shows what changed since the last approved release of the action (docs/reviewing.md): three
   * reads per approval, so the wiring turns it on (compose-bridge.ts does, for production).
   */
  showChanges?: boolean | undefined;
  /** How long the check run may wait for "what changed" before it is created without it. */
  changesBudgetMs?: number | undefined;
  /**
   * Shares one publication among concurrent deliveries of the same approval in this process
   * (single-flight.ts); each delivery publishes on its own without it.
   */
  singleFlight?: SingleFlight | undefined;
  /** Starts the reminder timers of the commits the approval is on (policy `remind_before`). */
  scheduleReminders?: ScheduleReminders | undefined;
}

export type IntakeOutcome =
  | { kind: "published"; results: PublishOutcome[] }
  | { kind: "stale" }
  | { kind: "no-github-source" };

/**
 * A CodePipeline "approval needed" notification → a check run on each GitHub source commit.
 * `account` is the SNS topic's; a raw-delivered notification is the bridge's own account's.
 */
export async function handleApprovalNeeded(
  notification: ApprovalNotification,
  deps: IntakeDeps,
  account?: string | undefined,
): Promise<IntakeOutcome> {
  const { approval: n, region } = notification;
  const inAccount = account ?? deps.accounts?.home;
  const action = {
    ...(inAccount ? { account: inAccount } : {}),
    region,
    pipelineName: n.pipelineName,
    stageName: n.stageName,
    actionName: n.actionName,
  };
  const log = deps.log.child({
    ...(inAccount ? { account: inAccount } : {}),
    pipeline: n.pipelineName,
    stage: n.stageName,
    action: n.actionName,
  });

  const now = deps.now ?? (() => new Date());
  const readAt = now().getTime();
  const executionId = await deps.pipelines.findPendingExecution(action, n.token);
  if (!executionId) {
    log.info(
      "the notification's token is no longer pending (decided, expired or superseded); nothing to show",
    );
    await recheckStaleNotification(action, n.token, {
      ...deps,
      log,
      now,
      home: deps.accounts?.home,
    });
    return { kind: "stale" };
  }
  // From here on every line names the execution the approval belongs to.
  const runLog = log.child({ executionId });
  // Asked while the commits are read: what changed since the last approved release starts here.
  const lastApproved = deps.showChanges
    ? deps.pipelines.findLastApprovedRelease(action, executionId)
    : undefined;
  // Its consumer logs a failure; unconsumed (no GitHub source) it must not go unhandled.
  lastApproved?.catch(() => undefined);
  const commits = await deps.pipelines.findSourceCommits(action, n.pipelineName, executionId);
  if (commits.length === 0) {
    runLog.warn(
      "the pipeline has no GitHub source (CodeStarSourceConnection or GitHub action), so there is no commit to show the approval on",
    );
    return { kind: "no-github-source" };
  }
  const approval: PendingApproval = {
    ...action,
    executionId,
    token: n.token,
    expiresAt: n.expires,
    approvalReviewLink: n.approvalReviewLink ?? undefined,
    externalEntityLink: n.externalEntityLink ?? undefined,
    customData: n.customData ?? undefined,
    accountAlias: inAccount ? deps.accounts?.aliases.get(inAccount) : undefined,
    // With several sources each check run names them all, so a decision in any of them is
    // checked against every source repository's policy.
    ...(commits.length > 1
      ? { sources: commits.map(({ owner, repo, sha }) => ({ owner, repo, sha })) }
      : {}),
  };
  const results = await Promise.all(
    commits.map((commit) => {
      const publish = () =>
        publishApproval(approval, commit, {
          github: deps.github,
          log: runLog.child({ commit: commit.sha, repository: `${commit.owner}/${commit.repo}` }),
          ...(deps.notifyPullRequests ? { notifyPullRequests: deps.notifyPullRequests } : {}),
          appId: deps.appId,
          home: deps.accounts?.home,
          prepare: (octokit, repo) =>
            prepareCheckRun(octokit, repo, approval, commit, {
              log: runLog.child({
                commit: commit.sha,
                repository: `${commit.owner}/${commit.repo}`,
              }),
              readPolicy: deps.readPolicy,
              lastApproved,
              changesBudgetMs: deps.changesBudgetMs,
            }),
        });
      const key = `${approval.token}|${commit.owner}/${commit.repo}|${commit.sha}`.toLowerCase();
      return deps.singleFlight ? deps.singleFlight.run(key, publish) : publish();
    }),
  );
  deps.metrics?.approvalsRequested.inc(results.filter((r) => r.kind === "created").length);
  const created = commits.filter((_, index) => results[index]?.kind === "created");
  // Only the delivery whose check run is the live one starts a timer: a redelivery, or a replica
  // that lost the race, would start a second chain, and two chains mention the approvers twice.
  await deps.scheduleReminders?.(approval, created, { github: deps.github, log: runLog });
  const slow = now().getTime() - readAt > (deps.recheckAfterMs ?? defaultSettleMs / 2);
  if (created.length > 0 && slow) {
    await recheckPublished(approval, created, {
      ...deps,
      log: runLog,
      now,
      home: deps.accounts?.home,
    });
  }
  return { kind: "published", results };
}
