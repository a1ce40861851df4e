import type { Logger } from "probot";
import type { PipelineGateway } from "../codepipeline/pipeline-gateway.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { Channel, PendingApproval, Verdict } from "./approval.js";
import { answerPipeline, errorName } from "./answer-pipeline.js";
import type { Quorum, Resolution } from "./check-run-record.schema.js";
import {
  readTrackedApproval,
  type CheckRunSnapshot,
  type TrackedApproval,
} from "./check-run-record.js";
import { countApproval } from "./count-approval.js";
import type { DecisionGuard } from "./decision-guard.js";
import { startDecisionStep } from "./decision-step.js";
import { newestRecord } from "./newest-record.js";

export { staleDetail } from "./stale-detail.js";

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

/**
 * The policy's answer for one request. `quorum` says who may decide, for the check run to show
 * progress and who may still approve.
 */
export type Authorization =
  | { kind: "allowed"; requiredApprovals: number; quorum?: Quorum | undefined }
  | { kind: "refused"; reason: string; quorum?: Quorum | undefined };

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
  /** Ids of audit entries; random by default. */
  newId?: () => string;
  /** How long a quorum's leader may stay silent before the next approval takes over. */
  leaderTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
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
 * actor, answers CodePipeline at most once per token, and leaves the check run saying what
 * happened. An approval that needs one person goes straight to CodePipeline (no extra call); one
 * that needs several is counted first (count-approval.ts). Any authorized rejection is final at once.
 */
export async function decideApproval(
  request: DecisionRequest,
  deps: DecisionDeps,
): Promise<DecisionOutcome> {
  const fromGitHub = readTrackedApproval(request.checkRun);
  if (!fromGitHub) return { kind: "not-an-approval" };

  return deps.guard.run(fromGitHub.approval.token, async (remembered) => {
    const step = startDecisionStep(request, deps, newestRecord(fromGitHub, remembered));
    const tracked = step.current();
    const { log } = step;

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
      const next = await step.append(
        step.entry({ verdict: request.verdict, result: "refused", detail: authorization.reason }),
        { quorum: authorization.quorum },
      );
      return { kind: "refused", reason: authorization.reason, tracked: next };
    }

    if (request.verdict === "Approved" && authorization.requiredApprovals > 1) {
      return countApproval(
        step,
        authorization.quorum ?? {
          required: authorization.requiredApprovals,
          minPermission: "write",
          excludesAuthors: false,
        },
      );
    }
    return answerPipeline(step, {
      votes: [{ login: request.actor.login, channel: request.channel }],
    });
  });
}
