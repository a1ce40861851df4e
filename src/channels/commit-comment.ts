import type { Context } from "probot";
import { answerCommand } from "./answer-command.js";
import type { ChannelDeps } from "./channel-deps.js";
import { findApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { actingApp } from "../github/acting-app.js";
import { isBotAccount } from "../github/is-bot-account.js";
import { parseCommand } from "./parse-command.js";
import { commitThread, replyMarker } from "./reply-thread.js";

/**
 * `/approve` and `/reject` in a comment on a commit: for pushes that have no pull request.
 * No reaction here: reacting to a commit comment needs Contents: write, which would also let the
 * app push code. The reply (which GitHub may refuse too: reply-thread.ts) and the check run's audit
 * trail are the feedback.
 */
export function handleCommitComment(deps: ChannelDeps) {
  // The repositories where GitHub refused a reply, each warned about once by this process.
  const forbidden = new Set<string>();
  return async (context: Context<"commit_comment.created">): Promise<void> => {
    const { comment, repository } = context.payload;
    const author = comment.user;
    if (!author || isBotAccount(author)) return;
    const command = parseCommand(comment.body);
    if (command.kind === "none") return;

    const octokit = context.octokit;
    const repo = { owner: repository.owner.login, repo: repository.name };
    const sha = comment.commit_id;
    await answerCommand(
      deps,
      octokit,
      {
        ask: command,
        asker: {
          repo,
          actor: { login: author.login, id: author.id, isBot: false, viaApp: actingApp(comment) },
          channel: "commit_comments",
          source: { kind: "comment", id: comment.id, writtenAt: comment.created_at },
        },
        approvals: findApprovalsOnCommits(octokit, repo, [sha], deps.appId),
        thread: commitThread(octokit, repo, sha, {
          marker: replyMarker(`comment-${comment.id}`),
          log: context.log,
          forbidden,
        }),
        reply: { place: "commit", source: "command" },
        about: { commentId: comment.id },
      },
      context.log,
    );
  };
}
