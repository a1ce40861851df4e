import { checkHold } from "../controls/check-hold.js";
import { answerPipeline, errorName } from "./answer-pipeline.js";
import { readTrackedApproval } from "./check-run-record.js";
import { countApproval } from "./count-approval.js";
import type {
  Authorization,
  DecisionDeps,
  DecisionOutcome,
  DecisionRequest,
} from "./decision-types.js";
import { sourceKey, startDecisionStep, type DecisionStep } from "./decision-step.js";
import type { TrackedApproval } from "./check-run-record.js";
import { existedWhenWritten } from "./existed-when-written.js";
import { refusalKey } from "./refusal-budget.js";
import { newestRecord } from "./newest-record.js";

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

  const key = fromGitHub.approval.token;
  // Authorization (reads only) and refusals run beside the decisions queued on this approval, not
  // behind them: a flood of refused commands must not hold up the one that decides. A refusal's
  // write is safe unserialized: it reads the log after writing and restores a closed view it
  // painted over (decision-step.ts, docs/design.md "Closed is absorbing").
  const before = startDecisionStep(request, deps, newestRecord(fromGitHub, deps.guard.latest(key)));
  const early = nothingToDo(request, before);
  if (early) return early;

  const authorization = await deps
    .authorize(request, before.current().approval)
    .catch((error: unknown): Authorization => {
      // Fail closed: a policy or permission that cannot be read refuses the decision.
      before.log.error({ err: error }, "authorization failed; refusing");
      return { kind: "refused", reason: `could not check permissions (${errorName(error)})` };
    });
  if (authorization.kind === "refused") return refuse(before, authorization);

  return deps.guard.run(key, async (remembered) => {
    // Serialized with the other decisions on this approval in this process: start from the
    // newest record, which an earlier decision may have closed meanwhile.
    const step = startDecisionStep(request, deps, newestRecord(fromGitHub, remembered));
    const closed = nothingToDo(request, step);
    if (closed) return closed;

    // The approval controls (src/controls, docs/controls.md): a hold refuses approvals, and an
    // authorized break-glass approval answers CodePipeline at once, whatever the quorum.
    const held = await checkHold(step);
    if (held) return held;

    if (
      request.verdict === "Approved" &&
      authorization.requiredApprovals > 1 &&
      !request.breakGlass
    ) {
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
      votes: [{ login: request.actor.login, id: request.actor.id, channel: request.channel }],
    });
  });
}

/** An approval already closed, or a command that may not decide it: answered without a write. */
function nothingToDo(request: DecisionRequest, step: DecisionStep): DecisionOutcome | undefined {
  const tracked = step.current();
  if (tracked.record.resolution.kind !== "pending") {
    step.log.info({ resolution: tracked.record.resolution.kind }, "approval already closed");
    return { kind: "closed", resolution: tracked.record.resolution, tracked };
  }
  const notApplicable = whyNotApplicable(request, tracked);
  if (notApplicable) {
    step.log.info({ source: request.source, reason: notApplicable }, "command decides nothing new");
    return { kind: "not-applicable", reason: notApplicable, tracked };
  }
  return undefined;
}

/** Records a refusal, unless the actor is an outsider past their ration (refusal-budget.ts). */
async function refuse(
  step: DecisionStep,
  authorization: Extract<Authorization, { kind: "refused" }>,
): Promise<DecisionOutcome> {
  const { request, deps, log } = step;
  const budget = deps.refusalBudget;
  if (
    authorization.outsider &&
    budget &&
    !budget.take(refusalKey(request.repo, request.actor.id))
  ) {
    log.info({ reason: authorization.reason }, "outsider refused again; not written");
    return { kind: "refused", reason: authorization.reason, tracked: step.current(), silent: true };
  }
  log.info({ reason: authorization.reason }, "decision refused");
  const next = await step.append(
    step.entry({ verdict: request.verdict, result: "refused", detail: authorization.reason }),
    { quorum: authorization.quorum },
  );
  return { kind: "refused", reason: authorization.reason, tracked: next };
}

/**
 * A comment or review decides once, and only approvals that existed when it was written
 * (docs/design.md, "A command decides once"). Its earlier handling is found by the source
 * recorded on the audit entry; refusals beyond the latest few may have been compacted away, so
 * a refused command redelivered much later may be refused again, which decides nothing either.
 */
function whyNotApplicable(request: DecisionRequest, tracked: TrackedApproval): string | undefined {
  const { source } = request;
  if (!source) return undefined;
  const key = sourceKey(source);
  const earlier = tracked.record.history.find((entry) => entry.source === key);
  if (earlier) {
    return `this ${source.kind} was already handled, with the outcome ${earlier.result}`;
  }
  if (!existedWhenWritten(request.checkRun, source)) {
    return `this approval appeared after the ${source.kind} was written, so the ${source.kind} does not decide it`;
  }
  return undefined;
}
