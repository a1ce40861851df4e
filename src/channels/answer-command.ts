import type { Logger } from "probot";
import { existedWhenWritten } from "../approvals/existed-when-written.js";
import type { GitHubClient } from "../github/github-client.js";
import type { ChannelDeps } from "./channel-deps.js";
import { decideCommand, decideThrough, type Asker, type DecisionAsk } from "./decide-command.js";
import type { ApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { renderCommandReply, type ReplyContext } from "../presentation/render-command-reply.js";
import type { ReplyThread } from "./reply-thread.js";
import type { ControlAsk } from "../controls/control-types.js";
import { controlThrough, decideControl } from "../controls/decide-control.js";
import { renderControlReply } from "../presentation/render-control-reply.js";

export interface CommandToAnswer {
  ask: DecisionAsk | ControlAsk;
  asker: Asker;
  /** The approvals the ask may decide, or the reads still finding them. */
  approvals: ApprovalsOnCommits | Promise<ApprovalsOnCommits>;
  thread: ReplyThread;
  reply: ReplyContext;
  /** What is answered, for the log: `{ commentId }` or `{ reviewId }`. */
  about: Record<string, number>;
}

/**
 * The end every conversation channel shares: unless an earlier delivery of the same webhook already
 * answered, hand the ask to the one decision path and answer in the thread. The search for an
 * earlier answer (a read) runs beside whatever reads are still finding the approvals.
 */
export async function answerCommand(
  deps: ChannelDeps,
  octokit: GitHubClient,
  { ask, asker, approvals, thread, reply, about }: CommandToAnswer,
  log: Logger,
): Promise<void> {
  const [answered, found] = await Promise.all([thread.answered(), approvals]);
  if (answered) {
    log.info(about, `${reply.source} already answered (redelivery)`);
    return;
  }
  // A hold or unhold (src/controls, docs/controls.md) is addressed and answered the same way.
  if ("control" in ask) {
    const result = await decideControl(found, ask, controlThrough(deps, octokit, asker, log));
    await thread.post(renderControlReply(result, reply));
    return;
  }
  const { source } = asker;
  // Only approvals that existed when the command was written are candidates: one that appeared
  // later (the command redelivered) is neither decided nor makes a bare command ambiguous.
  const candidates = source
    ? {
        ...found,
        pending: found.pending.filter((item) => existedWhenWritten(item.checkRun, source)),
      }
    : found;
  const result = await decideCommand(candidates, ask, decideThrough(deps, octokit, asker, log));
  if (result.kind === "decision" && result.outcome.kind === "refused" && result.outcome.silent) {
    // An outsider past their ration of refusals (refusal-budget.ts): a reply would be one more
    // write for anyone to multiply.
    log.info(about, `${reply.source} refused without a reply (the actor's refusals are rationed)`);
    return;
  }
  await thread.post(renderCommandReply(result, reply));
}
