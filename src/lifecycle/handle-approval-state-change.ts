import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "probot";
import { approvalAddress, type ApprovalAction } from "../approvals/approval.js";
import type { CheckRunSnapshot, TrackedApproval } from "../approvals/check-run-record.js";
import type { DecisionGuard } from "../approvals/decision-guard.js";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { InstallationClients } from "../github/installation-clients.js";
import type { ApprovalStateChangeEvent } from "../intake/queue-message.schema.js";
import { lookAtCheckRuns, type CheckRunSync, type Cue } from "./look-at-check-runs.js";

/**
 * Called for each check run the event finds closed (just now, or before), to bring what follows
 * the approval in line: the notice on the pull request.
 */
export type OnResolved = (
  octokit: GitHubClient,
  repo: RepoRef,
  checkRun: CheckRunSnapshot,
  tracked: TrackedApproval,
) => Promise<void>;

/** How long after an event a missing or still-pending check run is looked at once more. */
export const defaultSettleMs = 10_000;

export interface LifecycleDeps {
  pipelines: PipelineGateway;
  github: InstallationClients;
  log: Logger;
  /** Lists only this app's check runs when known. */
  appId: number;
  onResolved?: OnResolved | undefined;
  /**
   * How long after an event a missing check run, a still-pending read or a decision made through
   * GitHub is looked at once more before the event's result is final (see planCheckRunSync).
   */
  settleMs?: number | undefined;
  now?: (() => Date) | undefined;
  sleep?: ((ms: number) => Promise<unknown>) | undefined;
  /**
   * Serializes the events of one execution's approval inside this process, so a duplicate handled
   * alongside the original sees the check run it closed instead of writing it a second time.
   */
  guard?: Pick<DecisionGuard, "run"> | undefined;
  /** The bridge's own account, for an event that names none (every real event names one). */
  defaultAccount?: string | undefined;
}

export type CommitSync = { repository: string; sha: string } & (
  | { kind: "not-installed" }
  | { kind: "no-check-run" }
  | { kind: "synced"; checkRuns: CheckRunSync[] }
);

export type { CheckRunSync };

export type LifecycleOutcome =
  | { kind: "ignored"; reason: "started" }
  | { kind: "untracked"; reason: "pipeline-gone" | "execution-gone" | "no-github-source" }
  | { kind: "synced"; commits: CommitSync[] };

/**
 * A "CodePipeline Action Execution State Change" event for an Approval action → the check runs of
 * that execution say what CodePipeline says. The event carries neither the token nor the commit,
 * and may come twice, late or early, so it is only a cue: the state is read from CodePipeline.
 */
export async function handleApprovalStateChange(
  event: ApprovalStateChangeEvent,
  deps: LifecycleDeps,
): Promise<LifecycleOutcome> {
  const { detail } = event;
  const account = event.account ?? deps.defaultAccount;
  const action: ApprovalAction = {
    ...(account ? { account } : {}),
    region: event.region,
    pipelineName: detail.pipeline,
    stageName: detail.stage,
    actionName: detail.action,
  };
  const executionId = detail["execution-id"];
  const log = deps.log.child({
    ...(account ? { account } : {}),
    pipeline: action.pipelineName,
    stage: action.stageName,
    action: action.actionName,
    executionId,
    state: detail.state,
  });
  if (detail.state === "STARTED") {
    log.debug("approval started: its SNS notification creates the check run");
    return { kind: "ignored", reason: "started" };
  }

  const key = `${approvalAddress(action)}@${account ?? ""}/${action.region}/${executionId}`;
  return deps.guard
    ? deps.guard.run(key, () => syncExecution(event, action, { ...deps, log }))
    : syncExecution(event, action, { ...deps, log });
}

async function syncExecution(
  event: ApprovalStateChangeEvent,
  action: ApprovalAction,
  deps: LifecycleDeps,
): Promise<LifecycleOutcome> {
  const { log } = deps;
  const executionId = event.detail["execution-id"];
  const lookup = await deps.pipelines.lookUpSourceCommits(action, action.pipelineName, executionId);
  if (lookup.kind === "gone") {
    log.info(`the ${lookup.what} no longer exists in CodePipeline; no check run to bring in line`);
    return { kind: "untracked", reason: `${lookup.what}-gone` };
  }
  if (lookup.commits.length === 0) {
    log.info("the execution has no GitHub source commit; no check run to bring in line");
    return { kind: "untracked", reason: "no-github-source" };
  }
  const now = deps.now ?? (() => new Date());
  const eventTime = Date.parse(event.time ?? "");
  const eventAt = Number.isNaN(eventTime) ? now() : new Date(eventTime);
  const cue = { action, executionId, eventAt, eventState: event.detail.state };
  const commits = await Promise.all(
    lookup.commits.map((commit) => syncCommit(commit, { ...deps, log, now }, cue)),
  );
  return { kind: "synced", commits };
}

async function syncCommit(
  commit: SourceCommit,
  deps: LifecycleDeps & { now: () => Date },
  cue: Omit<Cue, "sha">,
): Promise<CommitSync> {
  const repo = { owner: commit.owner, repo: commit.repo };
  const where = { repository: `${commit.owner}/${commit.repo}`, sha: commit.sha };
  const log = deps.log.child({ repository: where.repository, commit: commit.sha });
  const octokit = await deps.github.forRepository(repo);
  if (!octokit) {
    log.info("the GitHub App is not installed on this repository; no check run to bring in line");
    return { ...where, kind: "not-installed" };
  }

  const look = (settled: boolean) =>
    lookAtCheckRuns(
      { ...deps, octokit, repo, log, home: deps.defaultAccount },
      { ...cue, sha: commit.sha },
      settled,
    );

  const settleMs = deps.settleMs ?? defaultSettleMs;
  const waitMs = Math.min(settleMs, cue.eventAt.getTime() + settleMs - deps.now().getTime());
  let result = await look(waitMs <= 0);
  if (result.kind === "look-again") {
    log.info({ reason: result.reason, waitMs }, "looking again shortly before settling the event");
    await (deps.sleep ?? delay)(waitMs);
    result = await look(true);
  }
  if (result.kind === "no-check-run") {
    log.info(
      "no check run for this execution: the approval was never published, or its notification has not been handled; when it is, intake finds the token no longer pending and publishes nothing",
    );
    return { ...where, kind: "no-check-run" };
  }
  if (result.kind === "look-again") {
    throw new Error("lookAtCheckRuns asked for another look after a settled one");
  }
  return { ...where, kind: "synced", checkRuns: result.checkRuns };
}
