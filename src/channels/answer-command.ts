import type { Logger } from "probot";
import type { Channel } from "../approvals/approval.js";
import type { Actor } from "../approvals/decision-types.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { ChannelDeps } from "./channel-deps.js";
import { decideCommand, decideThrough, type DecisionAsk } from "./decide-command.js";
import type { ApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { renderCommandReply, type ReplyContext } from "../presentation/render-command-reply.js";
import type { ReplyThread } from "./reply-thread.js";
import type { ControlAsk } from "../controls/control-types.js";
import { controlThrough, decideControl } from "../controls/decide-control.js";
import { renderControlReply } from "../presentation/render-control-reply.js";

export interface CommandToAnswer {
  ask: DecisionAsk | ControlAsk;
  asker: { repo: RepoRef; actor: Actor; channel: Channel };
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
  const result = await decideCommand(found, ask, decideThrough(deps, octokit, asker, log));
  await thread.post(renderCommandReply(result, reply));
}
