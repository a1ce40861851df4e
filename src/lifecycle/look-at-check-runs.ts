import { randomUUID } from "node:crypto";
import type { Logger } from "probot";
import { voteAnnotation } from "../approvals/vote-log.js";
import type { ApprovalAction } from "../approvals/approval.js";
import type { Resolution } from "../approvals/check-run-record.schema.js";
import type { CheckRunSnapshot, TrackedApproval } from "../approvals/check-run-record.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { closeDuplicates, groupByApproval } from "./close-duplicates.js";
import { findExecutionCheckRuns } from "./find-execution-check-runs.js";
import type { OnResolved } from "./handle-approval-state-change.js";
import { findSupersession } from "./find-supersession.js";
import { planCheckRunSync, type SyncPlan } from "./plan-check-run-sync.js";

export type CheckRunSync =
  | { checkRunId: number; kind: "updated"; resolution: Resolution["kind"] }
  | { checkRunId: number; kind: "kept"; reason: "closed" | "pending" };

export type Look =
  | { kind: "look-again"; reason: string }
  | { kind: "no-check-run" }
  | { kind: "synced"; checkRuns: CheckRunSync[] };

export interface LookDeps {
  octokit: GitHubClient;
  repo: RepoRef;
  pipelines: PipelineGateway;
  log: Logger;
  now: () => Date;
  appId: number;
  onResolved?: OnResolved | undefined;
  /** The bridge's own AWS account, which check run names leave out (checkRunName). */
  home?: string | undefined;
}

export interface Cue {
  action: ApprovalAction;
  executionId: string;
  sha: string;
  eventAt: Date;
  eventState?: string | undefined;
}

/**
 * One look at the execution's check runs on one commit: each still-pending one is compared with
 * CodePipeline and, when the plan says so, updated. Nothing is written when any of them asks for a
 * second look, so the second look starts from the same place.
 */
export async function lookAtCheckRuns(deps: LookDeps, cue: Cue, settled: boolean): Promise<Look> {
  const { octokit, repo, log } = deps;
  const found = await findExecutionCheckRuns(
    octokit,
    repo,
    cue.sha,
    cue.action,
    cue.executionId,
    deps.appId,
    deps.home,
  );
  if (found.length === 0) {
    return settled ? { kind: "no-check-run" } : { kind: "look-again", reason: "no check run yet" };
  }
  // Whatever CodePipeline says, of an approval's runs only the lowest id may offer the buttons:
  // closed here, a duplicate whose maker died before closing it does not wait for the approval to
  // close (close-duplicates.ts). Written before any second look, as it does not depend on one.
  const duplicates = new Set<number>();
  for (const group of groupByApproval(found.map(({ checkRun }) => checkRun))) {
    for (const id of await closeDuplicates(octokit, repo, group, log)) duplicates.add(id);
  }
  const checkRuns: CheckRunSync[] = [...duplicates].map((checkRunId) => ({
    checkRunId,
    kind: "updated",
    resolution: "superseded",
  }));
  const plans: {
    checkRun: CheckRunSnapshot;
    tracked: TrackedApproval;
    plan: Exclude<SyncPlan, { kind: "look-again" }>;
  }[] = [];
  for (const { checkRun, tracked } of found) {
    if (duplicates.has(checkRun.id)) continue;
    if (tracked.record.resolution.kind !== "pending") {
      // No CodePipeline call: a closed record is kept whatever CodePipeline says.
      plans.push({ checkRun, tracked, plan: { kind: "keep", reason: "closed" } });
      continue;
    }
    const state = await deps.pipelines.readApprovalState(tracked.approval, cue.eventAt);
    const newer =
      state.kind === "superseded"
        ? await findSupersession(tracked.approval, repo, deps.pipelines, log)
        : undefined;
    const plan = planCheckRunSync(tracked, {
      eventState: cue.eventState,
      eventAt: cue.eventAt.toISOString(),
      state,
      newer,
      observedAt: deps.now().toISOString(),
      settled,
      entryId: randomUUID(),
    });
    if (plan.kind === "look-again") return plan;
    plans.push({ checkRun, tracked, plan });
  }

  for (const { checkRun, tracked, plan } of plans) {
    const checkRunId = checkRun.id;
    // Followers of a closed approval (the PR notice) are brought in line at every look, also when
    // the check run was closed before: an earlier edit that failed, or a notice posted after the
    // decision, is repaired by the next event instead of saying "waiting" for good.
    const followUp = (closed: TrackedApproval) =>
      deps.onResolved?.(octokit, repo, checkRun, closed).catch((error: unknown) => {
        // The check run, the source of truth on GitHub, is already right.
        log.warn({ err: error, checkRunId }, "onResolved failed after the check run was updated");
      });
    if (plan.kind === "keep") {
      log.info(
        { checkRunId, reason: plan.reason },
        plan.reason === "closed"
          ? "the check run is already closed (a decision made on GitHub keeps its record)"
          : "CodePipeline still shows this approval pending; the event was about an earlier run",
      );
      checkRuns.push({ checkRunId, kind: "kept", reason: plan.reason });
      if (plan.reason === "closed") await followUp(tracked);
      continue;
    }
    // The closing entry rides along as an annotation: closed is absorbing (docs/design.md).
    const view = renderCheckRun(plan.next);
    const closing = plan.next.record.history.at(-1);
    await updateCheckRun(octokit, repo, checkRunId, {
      ...view,
      output: { ...view.output, ...(closing ? { annotations: [voteAnnotation(closing)] } : {}) },
    });
    const resolution = plan.next.record.resolution.kind;
    log.info({ checkRunId, resolution }, "check run brought in line with CodePipeline");
    checkRuns.push({ checkRunId, kind: "updated", resolution });
    await followUp(plan.next);
  }
  return { kind: "synced", checkRuns };
}
