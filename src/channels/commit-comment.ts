import type { Context } from "probot";
import { isBotAccount, type ChannelDeps } from "./channel-deps.js";
import { decideCommand, decideThrough } from "./decide-command.js";
import { findApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { parseCommand } from "./parse-command.js";
import { renderCommandReply } from "./render-command-reply.js";
import { commitThread, replyMarker } from "./reply-thread.js";

/**
 * `/approve` and `/reject` in a comment on a commit: for pushes that have no pull request.
 * No reaction here: reacting to a commit comment needs Contents: write, which would also let the
 * app push code. The reply (Contents: read) and the check run's audit trail are the feedback.
 */
export function handleCommitComment(deps: ChannelDeps) {
  return async (context: Context<"commit_comment.created">): Promise<void> => {
    const { comment, repository } = context.payload;
    const author = comment.user;
    if (!author || isBotAccount(author)) return;
    const command = parseCommand(comment.body);
    if (command.kind === "none") return;

    const octokit = context.octokit;
    const repo = { owner: repository.owner.login, repo: repository.name };
    const sha = comment.commit_id;
    const thread = commitThread(octokit, repo, sha, replyMarker(`comment-${comment.id}`));
    const [answered, approvals] = await Promise.all([
      thread.answered(),
      findApprovalsOnCommits(octokit, repo, [sha], deps.appId),
    ]);
    if (answered) {
      context.log.info({ commentId: comment.id }, "command already answered (redelivery)");
      return;
    }
    const result = await decideCommand(
      approvals,
      command,
      decideThrough(
        deps,
        octokit,
        { repo, actor: { login: author.login, isBot: false }, channel: "commit_comments" },
        context.log,
      ),
    );
    await thread.post(renderCommandReply(result, { place: "commit", source: "command" }));
  };
}
