import type { ApprovalState } from "../codepipeline/pipeline-gateway.js";
import type { Channel, Verdict } from "./approval.js";
import { breakGlassSummary, summarizeDecision } from "../presentation/approval-summary.js";
import type { HistoryEntry, Resolution } from "./check-run-record.schema.js";
import type { DecisionOutcome } from "./decision-types.js";
import type { DecisionStep } from "./decision-step.js";
import { resolutionFromState } from "./resolution-from-state.js";
import { staleDetail } from "../presentation/stale-detail.js";

/**
 * Sends the decision to CodePipeline (at most once per call) and records what came of it. `votes`
 * are the people the summary names: the one decider, or every approver of a quorum.
 */
export async function answerPipeline(
  step: DecisionStep,
  {
    votes,
    history,
  }: {
    votes: { login: string; channel: Channel; id?: number | undefined }[];
    history?: HistoryEntry[] | undefined;
  },
): Promise<DecisionOutcome> {
  const { request, deps, log } = step;
  const { verdict, reason } = request;
  const deciders = votes.map((vote) => vote.login);
  const summary = breakGlassSummary(
    request.breakGlass === true,
    summarizeDecision({ verdict, deciders, channel: request.channel, reason, votes }),
  );
  const tracked = step.current();

  let answer;
  try {
    answer = await deps.pipelines.putApprovalResult(tracked.approval, verdict, summary);
  } catch (error) {
    const message = `CodePipeline did not take the decision (${errorName(error)}); the approval is still pending, try again`;
    log.error({ err: error }, "PutApprovalResult failed");
    const next = await step.append(step.entry({ verdict, result: "failed", detail: message }), {
      history,
    });
    return { kind: "failed", message, tracked: next };
  }

  const close = async (
    resolution: Resolution,
    fields: Omit<HistoryEntry, "id" | "at" | "actor" | "channel" | "closes">,
  ) => step.append(step.entry({ ...fields, closes: resolution }), { resolution, history });

  const decided = async (at: string): Promise<DecisionOutcome> => {
    log.info({ verdict, deciders }, "approval decided");
    const resolution: Resolution = {
      kind: "decided",
      status: verdict,
      deciders,
      channel: request.channel,
      ...(votes.length > 1
        ? {
            votes: votes.map(({ login, channel, id }) => ({
              login,
              channel,
              ...(id !== undefined ? { id } : {}),
            })),
          }
        : {}),
      ...(reason ? { reason } : {}),
      at,
      ...(request.breakGlass ? { breakGlass: true as const } : {}),
    };
    const next = await close(resolution, {
      verdict,
      result: verdict === "Approved" ? "approved" : "rejected",
      ...(reason ? { detail: reason } : {}),
    });
    return { kind: "decided", verdict, deciders, tracked: next };
  };

  switch (answer.kind) {
    case "recorded":
      return decided(answer.approvedAt);
    case "not-found": {
      const resolution: Resolution = { kind: "gone", what: answer.what };
      log.warn({ what: answer.what }, "approval target no longer exists");
      const next = await close(resolution, {
        verdict,
        result: "stale",
        detail: `the ${answer.what} no longer exists`,
      });
      return { kind: "closed", resolution, tracked: next };
    }
    case "already-completed":
    case "invalid-token": {
      // The token was answered elsewhere, expired or was superseded: ask CodePipeline which.
      const state = await deps.pipelines
        .readApprovalState(tracked.approval, step.now())
        .catch((error: unknown) => {
          log.warn({ err: error }, "could not read the approval state");
          return undefined;
        });
      if (!state || state.kind === "pending") {
        // Never show a state the pipeline may not have: say what is known, keep it open.
        const message = `CodePipeline no longer accepts this token (${answer.kind}) but its state could not be read; refresh later`;
        const next = await step.append(step.entry({ verdict, result: "failed", detail: message }), {
          history,
        });
        return { kind: "failed", message, tracked: next };
      }
      if (isThisAnswer(state, verdict, summary)) {
        // This very answer, applied by CodePipeline although its reply was lost (a timed-out
        // attempt the SDK sent again): the decision is this request's.
        return decided(state.at ?? step.now().toISOString());
      }
      const resolution = resolutionFromState(state);
      log.info(
        { answer: answer.kind, resolution: resolution.kind },
        "approval was no longer pending",
      );
      const next = await close(resolution, {
        verdict,
        result: "stale",
        detail: staleDetail(resolution),
      });
      return { kind: "closed", resolution, tracked: next };
    }
  }
}

/** CodePipeline recorded exactly the verdict and summary this request sent. */
function isThisAnswer(
  state: ApprovalState,
  verdict: Verdict,
  summary: string,
): state is {
  kind: "approved" | "rejected";
  summary?: string;
  at?: string;
} {
  const status = verdict === "Approved" ? "approved" : "rejected";
  return state.kind === status && state.summary === summary;
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
