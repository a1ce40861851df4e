import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import type { HistoryEntry } from "../approvals/check-run-record.schema.js";
import type { DecisionOutcome } from "../approvals/decision-types.js";
import type { DecisionStep } from "../approvals/decision-step.js";
import { errorName } from "../approvals/answer-pipeline.js";
import { mergeHistory, readVoteLog } from "../approvals/vote-log.js";
import { holdRefusal } from "../presentation/render-controls.js";
import { holdStateOf } from "./hold-state.js";

/**
 * The hold's step of the decision path, for an authorized approval: refuse while the last `held`
 * entry of the audit trail is not followed by an `unheld` one. Rejections and break-glass
 * approvals never wait for a hold. See docs/controls.md, "Hold".
 *
 * Every entry this app writes is also one annotation, in the same PATCH, and the check run GitHub
 * sends says how many annotations it has (`output.annotations_count`). When the record knows at
 * least as many entries, it is complete and costs no call. When GitHub counts more, a concurrent
 * write painted the text from an older copy (last writer wins) and may have dropped a hold: then
 * the annotation log, which only grows, is read (one GET) and decides. A log that cannot be read
 * refuses (fail closed).
 */
export async function checkHold(step: DecisionStep): Promise<DecisionOutcome | undefined> {
  const { request, deps, log } = step;
  if (request.verdict !== "Approved" || request.breakGlass) return undefined;

  const known = step.current().record.history.filter((entry) => entry.id).length;
  if ((request.checkRun.output.annotations_count ?? 0) <= known) {
    return refuseIfHeld(step, step.current().record.history);
  }
  let entries;
  try {
    entries = readVoteLog(
      await listCheckRunAnnotations(deps.octokit, request.repo, request.checkRun.id),
    );
  } catch (error) {
    log.warn({ err: error }, "could not read the hold from the annotation log; refusing");
    const reason = `could not read whether the approval is on hold (${errorName(error)}); approve again`;
    const next = await step.append(
      step.entry({ verdict: "Approved", result: "refused", detail: reason }),
    );
    return { kind: "refused", reason, tracked: next };
  }

  return refuseIfHeld(step, mergeHistory(step.current().record.history, entries));
}

async function refuseIfHeld(
  step: DecisionStep,
  history: HistoryEntry[],
): Promise<DecisionOutcome | undefined> {
  const hold = holdStateOf(history);
  if (hold.kind === "free") return undefined;
  const reason = holdRefusal(hold);
  step.log.info({ heldBy: hold.by }, "approval refused: on hold");
  // With the history the log shows, so a check run painted from an older copy shows the hold.
  const next = await step.append(
    step.entry({ verdict: "Approved", result: "refused", detail: reason }),
    { history },
  );
  return { kind: "refused", reason, tracked: next };
}
