import { randomUUID } from "node:crypto";
import { readTrackedApproval } from "../approvals/check-run-record.js";
import type { HistoryEntry } from "../approvals/check-run-record.schema.js";
import { newestRecord } from "../approvals/newest-record.js";
import { mergeHistory, readVoteLog } from "../approvals/vote-log.js";
import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import { authorizeControl } from "./authorize-control.js";
import { appendControlEntry, closedMeanwhile } from "./write-control-entry.js";
import type {
  ControlDeps,
  ControlOutcome,
  ControlRequest,
  HoldAuthorization,
} from "./control-types.js";
import { holdStateOf } from "./hold-state.js";

/**
 * `/hold` and `/unhold` on one approval. A hold lives where votes live: an entry in the check run's
 * audit trail and the same entry appended to its annotation log, in one PATCH, so it survives
 * restarts and every replica reads it. The log is read first: it, not the check run's text (which a
 * concurrent write may have painted from an older copy), says whether the approval is held and by
 * whom. Holding needs `hold_min_permission`; lifting a hold needs to be the person who held it
 * (still with that permission), or anyone who may approve. Refusals are recorded like a refused
 * decision. See docs/controls.md, "Hold".
 */
export async function applyControl(
  request: ControlRequest,
  deps: ControlDeps,
): Promise<ControlOutcome> {
  const fromGitHub = readTrackedApproval(request.checkRun);
  if (!fromGitHub) return { kind: "not-an-approval" };
  const log = deps.log.child({
    pipeline: fromGitHub.approval.pipelineName,
    commit: request.checkRun.head_sha,
    actor: request.actor.login,
    control: request.control,
  });

  return deps.guard.run(fromGitHub.approval.token, async (remembered) => {
    const tracked = newestRecord(fromGitHub, remembered);
    if (tracked.record.resolution.kind !== "pending") {
      return { kind: "closed", resolution: tracked.record.resolution, tracked };
    }

    let logged: HistoryEntry[];
    try {
      logged = readVoteLog(
        await listCheckRunAnnotations(deps.octokit, request.repo, request.checkRun.id),
      );
    } catch (error) {
      log.warn({ err: error }, "could not read the annotation log");
      return {
        kind: "failed",
        message: `could not read the approval's log from GitHub, so nothing changed; try \`/${request.control}\` again`,
        tracked,
      };
    }
    const history = mergeHistory(tracked.record.history, logged);
    const closing = logged.find((entry) => entry.closes)?.closes;
    if (closing) return { kind: "closed", resolution: closing, tracked };

    const hold = holdStateOf(history);
    if (request.control === "hold" ? hold.kind === "held" : hold.kind === "free") {
      return { kind: "unchanged", hold, tracked };
    }

    const authorization = await authorizeControl(request, tracked, hold, deps).catch(
      (error: unknown): HoldAuthorization => {
        log.error({ err: error }, "authorization failed; refusing");
        return { kind: "refused", reason: "could not check permissions" };
      },
    );
    const write = (entry: HistoryEntry) =>
      appendControlEntry(deps, request, tracked, history, entry);
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const entry = (fields: Pick<HistoryEntry, "result" | "detail">): HistoryEntry => ({
      id: (deps.newId ?? randomUUID)(),
      at: now,
      actor: request.actor.login,
      channel: request.channel,
      ...fields,
    });

    if (authorization.kind === "refused") {
      log.info({ reason: authorization.reason }, `/${request.control} refused`);
      const next = await write(
        entry({ result: "refused", detail: `/${request.control}: ${authorization.reason}` }),
      );
      return { kind: "refused", reason: authorization.reason, tracked: next };
    }

    if (request.control === "hold") {
      const held = entry({ result: "held", ...(request.reason ? { detail: request.reason } : {}) });
      const written = await write(held);
      // An approval decided on another replica while this hold was written: its PATCH may have
      // been painted over by this one, so read the log again and show the decision it holds.
      const decided = await closedMeanwhile(deps, request, written).catch((error: unknown) => {
        log.warn({ err: error }, "could not read the annotation log back after the hold");
        return undefined;
      });
      if (decided) {
        log.info({ resolution: decided.resolution.kind }, "approval closed while it was held");
        return { kind: "closed", ...decided };
      }
      const next = written;
      log.info("approval put on hold");
      const state = { kind: "held" as const, by: held.actor, reason: held.detail, at: held.at };
      return { kind: "held", hold: state, tracked: next };
    }
    if (hold.kind === "free") return { kind: "unchanged", hold, tracked };
    const next = await write(
      entry({ result: "unheld", ...(request.reason ? { detail: request.reason } : {}) }),
    );
    log.info({ heldBy: hold.by }, "hold lifted");
    return { kind: "unheld", was: hold, tracked: next };
  });
}
