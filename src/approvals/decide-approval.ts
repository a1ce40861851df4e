import type { Logger } from "probot";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { channelLabels, type Channel, type PendingApproval, type Verdict } from "./approval.js";
import { summarizeDecision } from "./approval-summary.js";
import type { HistoryEntry, Resolution } from "./check-run-record.schema.js";
import {
  readTrackedApproval,
  type CheckRunSnapshot,
  type TrackedApproval,
} from "./check-run-record.js";
import type { DecisionGuard } from "./decision-guard.js";
import { renderCheckRun } from "./render-check-run.js";
import { resolutionFromState } from "./resolution-from-state.js";

export interface Actor {
  login: string;
  /** GitHub Apps and machine accounts: they never decide. */
  isBot: boolean;
}

export interface DecisionRequest {
  repo: RepoRef;
  checkRun: CheckRunSnapshot;
  actor: Actor;
  verdict: Verdict;
  reason?: string | undefined;
  channel: Channel;
}

export type Authorization =
  { kind: "allowed"; requiredApprovals: number } | { kind: "refused"; reason: string };

/** The policy's answer for one request; the policy module decides how it is reached. */
export type Authorize = (
  request: DecisionRequest,
  approval: PendingApproval,
) => Promise<Authorization>;

export interface DecisionDeps {
  octokit: GitHubClient;
  pipelines: PipelineGateway;
  authorize: Authorize;
  guard: DecisionGuard;
  log: Logger;
  now?: () => Date;
}

export type DecisionOutcome =
  | { kind: "decided"; verdict: Verdict; deciders: string[]; tracked: TrackedApproval }
  | { kind: "counted"; approvals: string[]; required: number; tracked: TrackedApproval }
  | { kind: "refused"; reason: string; tracked: TrackedApproval }
  | { kind: "closed"; resolution: Resolution; tracked: TrackedApproval }
  | { kind: "failed"; message: string; tracked: TrackedApproval }
  | { kind: "not-an-approval" };

/**
 * The one decision path: every channel (buttons, comments, reviews) ends here. It authorizes the
 * actor, answers CodePipeline at most once per token, and leaves the check run saying what happened.
 */
export async function decideApproval(
  request: DecisionRequest,
  deps: DecisionDeps,
): Promise<DecisionOutcome> {
  const fromGitHub = readTrackedApproval(request.checkRun);
  if (!fromGitHub) return { kind: "not-an-approval" };
  const key = fromGitHub.approval.token;

  return deps.guard.run(key, async (remembered) => {
    const tracked = remembered ?? fromGitHub;
    const now = deps.now ?? (() => new Date());
    const log = deps.log.child({
      pipeline: tracked.approval.pipelineName,
      stage: tracked.approval.stageName,
      action: tracked.approval.actionName,
      commit: request.checkRun.head_sha,
      actor: request.actor.login,
      channel: request.channel,
    });
    const save = async (
      resolution: Resolution,
      entry: Omit<HistoryEntry, "at" | "actor" | "channel">,
    ) => {
      const next: TrackedApproval = {
        approval: tracked.approval,
        record: {
          ...tracked.record,
          resolution,
          history: [
            ...tracked.record.history,
            {
              at: now().toISOString(),
              actor: request.actor.login,
              channel: request.channel,
              ...entry,
            },
          ],
        },
      };
      deps.guard.remember(key, next);
      await updateCheckRun(deps.octokit, request.repo, request.checkRun.id, renderCheckRun(next));
      return next;
    };

    if (tracked.record.resolution.kind !== "pending") {
      log.info({ resolution: tracked.record.resolution.kind }, "approval already closed");
      return { kind: "closed", resolution: tracked.record.resolution, tracked };
    }

    const authorization = await deps
      .authorize(request, tracked.approval)
      .catch((error: unknown): Authorization => {
        // Fail closed: a policy or permission that cannot be read refuses the decision.
        log.error({ err: error }, "authorization failed; refusing");
        return { kind: "refused", reason: `could not check permissions (${errorName(error)})` };
      });
    if (authorization.kind === "refused") {
      log.info({ reason: authorization.reason }, "decision refused");
      const next = await save(tracked.record.resolution, {
        verdict: request.verdict,
        result: "refused",
        detail: authorization.reason,
      });
      return { kind: "refused", reason: authorization.reason, tracked: next };
    }

    const summary = summarizeDecision({
      verdict: request.verdict,
      deciders: [request.actor.login],
      channel: request.channel,
      reason: request.reason,
    });
    let answer;
    try {
      answer = await deps.pipelines.putApprovalResult(tracked.approval, request.verdict, summary);
    } catch (error) {
      const message = `CodePipeline did not take the decision (${errorName(error)}); the approval is still pending, try again`;
      log.error({ err: error }, "PutApprovalResult failed");
      const next = await save(tracked.record.resolution, {
        verdict: request.verdict,
        result: "failed",
        detail: message,
      });
      return { kind: "failed", message, tracked: next };
    }

    switch (answer.kind) {
      case "recorded": {
        log.info({ verdict: request.verdict }, "approval decided");
        const next = await save(
          {
            kind: "decided",
            status: request.verdict,
            deciders: [request.actor.login],
            channel: request.channel,
            ...(request.reason ? { reason: request.reason } : {}),
            at: answer.approvedAt,
          },
          {
            verdict: request.verdict,
            result: request.verdict === "Approved" ? "approved" : "rejected",
            ...(request.reason ? { detail: request.reason } : {}),
          },
        );
        return {
          kind: "decided",
          verdict: request.verdict,
          deciders: [request.actor.login],
          tracked: next,
        };
      }
      case "not-found": {
        const resolution: Resolution = { kind: "gone", what: answer.what };
        log.warn({ what: answer.what }, "approval target no longer exists");
        const next = await save(resolution, {
          verdict: request.verdict,
          result: "stale",
          detail: `the ${answer.what} no longer exists`,
        });
        return { kind: "closed", resolution, tracked: next };
      }
      case "already-completed":
      case "invalid-token": {
        // The token was answered elsewhere, expired or was superseded: ask CodePipeline which.
        const state = await deps.pipelines
          .readApprovalState(tracked.approval, now())
          .catch((error: unknown) => {
            log.warn({ err: error }, "could not read the approval state");
            return undefined;
          });
        if (!state || state.kind === "pending") {
          // Never show a state the pipeline may not have: say what is known, keep it open.
          const message = `CodePipeline no longer accepts this token (${answer.kind}) but its state could not be read; refresh later`;
          const next = await save(tracked.record.resolution, {
            verdict: request.verdict,
            result: "failed",
            detail: message,
          });
          return { kind: "failed", message, tracked: next };
        }
        const resolution = resolutionFromState(state);
        log.info(
          { answer: answer.kind, resolution: resolution.kind },
          "approval was no longer pending",
        );
        const next = await save(resolution, {
          verdict: request.verdict,
          result: "stale",
          detail: staleDetail(resolution),
        });
        return { kind: "closed", resolution, tracked: next };
      }
    }
  });
}

/** One line for the audit trail and for replies: why a decision could not be applied. */
export function staleDetail(resolution: Resolution): string {
  switch (resolution.kind) {
    case "decided":
      return `already ${resolution.status.toLowerCase()} by ${resolution.deciders.map((d) => `@${d}`).join(", ")} via ${channelLabels[resolution.channel]}`;
    case "decided-outside":
      return `already ${resolution.status.toLowerCase()} ${resolution.viaGitHub ? "via GitHub" : "outside GitHub"}`;
    case "expired":
      return "the approval expired";
    case "superseded":
      return "a newer pipeline execution superseded this approval";
    case "gone":
      return `the ${resolution.what} no longer exists`;
    case "pending":
      return "still pending";
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
