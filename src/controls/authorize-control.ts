import type { TrackedApproval } from "../approvals/check-run-record.js";
import type { ControlDeps, ControlRequest, HoldAuthorization } from "./control-types.js";
import type { HoldState } from "./hold-state.js";

/**
 * Who may hold or unhold (docs/controls.md): a hold, and lifting one's own hold, take the policy's
 * `hold_min_permission`; lifting someone else's hold lets approvals through, so it takes someone
 * who may approve (the decision path's whole authorization).
 */
export async function authorizeControl(
  request: ControlRequest,
  tracked: TrackedApproval,
  hold: HoldState,
  deps: ControlDeps,
): Promise<HoldAuthorization> {
  const byHolder =
    hold.kind === "held" && hold.by.toLowerCase() === request.actor.login.toLowerCase();
  if (request.control === "hold" || byHolder) {
    return deps.authorizeHold(request, tracked.approval);
  }
  const approving = await deps.authorize(
    {
      repo: request.repo,
      checkRun: request.checkRun,
      actor: request.actor,
      channel: request.channel,
      verdict: "Approved",
    },
    tracked.approval,
  );
  return approving.kind === "allowed"
    ? { kind: "allowed" }
    : {
        kind: "refused",
        reason: `the hold is @${hold.kind === "held" ? hold.by : ""}'s; lifting another person's hold needs someone who may approve, and ${approving.reason}`,
      };
}
