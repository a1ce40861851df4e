import type { Context } from "probot";
import { reactToIssueComment } from "../github/comments.js";
import { getPullRequest, shasOfPullRequest } from "../github/pull-requests.js";
import { isBotAccount, type ChannelDeps } from "./channel-deps.js";
import { decideCommand, decideThrough } from "./decide-command.js";
import { findApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { parseCommand } from "./parse-command.js";
import { renderCommandReply } from "./render-command-reply.js";
import { pullRequestThread, replyMarker } from "./reply-thread.js";

/**
 * `/approve` and `/reject` in a pull request's conversation. They decide the approvals on the
 * PR's head commit and, once merged, its merge commit (where post-merge pipelines run).
 */
export function handlePullRequestComment(deps: ChannelDeps) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { issue, comment, repository } = context.payload;
    // issue_comment fires for plain issues too; only pull requests have commits to decide.
    if (!issue.pull_request) return;
    const author = comment.user;
    if (!author || isBotAccount(author)) return;
    const command = parseCommand(comment.body);
    if (command.kind === "none") return;

    const octokit = context.octokit;
    const repo = { owner: repository.owner.login, repo: repository.name };
    const thread = pullRequestThread(
      octokit,
      repo,
      issue.number,
      replyMarker(`comment-${comment.id}`),
      comment.created_at,
    );
    // The reaction says "seen" at once; a 200 for it means this delivery is a repeat.
    const [reaction, pull] = await Promise.all([
      reactToIssueComment(octokit, repo, comment.id, "eyes"),
      getPullRequest(octokit, repo, issue.number),
    ]);
    const [answered, approvals] = await Promise.all([
      reaction === "existed" ? thread.answered() : false,
      findApprovalsOnCommits(octokit, repo, shasOfPullRequest(pull), deps.appId),
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
        { repo, actor: { login: author.login, isBot: false }, channel: "pr_comments" },
        context.log,
      ),
    );
    await thread.post(renderCommandReply(result, { place: "pull request", source: "command" }));
  };
}
