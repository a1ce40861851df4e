import { randomUUID } from "node:crypto";
import type { Logger } from "probot";
import { readTrackedApproval, type TrackedApproval } from "../approvals/check-run-record.js";
import type { HistoryEntry, Resolution } from "../approvals/check-run-record.schema.js";
import type { DecisionGuard } from "../approvals/decision-guard.js";
import type { Authorization, Authorize } from "../approvals/decision-types.js";
import { newestRecord } from "../approvals/newest-record.js";
import { mergeHistory, readVoteLog, voteAnnotation } from "../approvals/vote-log.js";
import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import { updateCheckRun } from "../github/check-runs.js";
import type { GitHubClient } from "../github/github-client.js";
import { renderCheckRun } from "../presentation/render-check-run.js";
import type { AuthorizeHold, ControlOutcome, ControlRequest } from "./control-types.js";
import { holdStateOf } from "./hold-state.js";

export interface ControlDeps {
  octokit: GitHubClient;
  /** The decision path's policy: who may approve may also lift someone else's hold. */
  authorize: Authorize;
  authorizeHold: AuthorizeHold;
  /** Shared with the decision path, so a hold and a click on one approval take turns. */
  guard: DecisionGuard;
  log: Logger;
  now?: () => Date;
  newId?: () => string;
}

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
      (error: unknown): Authorization => {
        log.error({ err: error }, "authorization failed; refusing");
        return { kind: "refused", reason: "could not check permissions" };
      },
    );
    const write = (entry: HistoryEntry) => appendEntry(deps, request, tracked, history, entry);
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

async function authorizeControl(
  request: ControlRequest,
  tracked: TrackedApproval,
  hold: ReturnType<typeof holdStateOf>,
  deps: ControlDeps,
): Promise<Authorization | { kind: "allowed" }> {
  const byHolder =
    hold.kind === "held" && hold.by.toLowerCase() === request.actor.login.toLowerCase();
  if (request.control === "hold" || byHolder) {
    return deps.authorizeHold(request, tracked.approval);
  }
  // Someone else's hold: lifting it lets approvals through, so it takes someone who may approve.
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
    ? approving
    : {
        kind: "refused",
        reason: `the hold is @${hold.kind === "held" ? hold.by : ""}'s; lifting another person's hold needs someone who may approve, and ${approving.reason}`,
      };
}

/** One PATCH: the entry added to the record's audit trail and appended to the annotation log. */
async function appendEntry(
  deps: ControlDeps,
  request: ControlRequest,
  tracked: TrackedApproval,
  history: HistoryEntry[],
  entry: HistoryEntry,
): Promise<TrackedApproval> {
  const next: TrackedApproval = {
    approval: tracked.approval,
    record: { ...tracked.record, history: [...history, entry] },
  };
  const view = renderCheckRun(next);
  await updateCheckRun(deps.octokit, request.repo, request.checkRun.id, {
    ...view,
    output: { ...view.output, annotations: [voteAnnotation(entry)] },
  });
  deps.guard.remember(tracked.approval.token, next);
  return next;
}

/**
 * When the log holds a closing entry this process did not know: the approval as that entry closed
 * it, written to the check run (one PATCH, no new entry). Undefined when nothing closed it.
 */
async function closedMeanwhile(
  deps: ControlDeps,
  request: ControlRequest,
  written: TrackedApproval,
): Promise<{ resolution: Resolution; tracked: TrackedApproval } | undefined> {
  const logged = readVoteLog(
    await listCheckRunAnnotations(deps.octokit, request.repo, request.checkRun.id),
  );
  const resolution = logged.find((entry) => entry.closes)?.closes;
  if (!resolution) return undefined;
  const tracked: TrackedApproval = {
    approval: written.approval,
    record: {
      ...written.record,
      resolution,
      history: mergeHistory(written.record.history, logged),
    },
  };
  await updateCheckRun(deps.octokit, request.repo, request.checkRun.id, renderCheckRun(tracked));
  deps.guard.remember(tracked.approval.token, tracked);
  return { resolution, tracked };
}
