import type { Context } from "probot";
import { reactToIssueComment } from "../github/comments.js";
import { getPullRequest, shasOfPullRequest } from "../github/pull-requests.js";
import { answerCommand } from "./answer-command.js";
import type { ChannelDeps } from "./channel-deps.js";
import { findApprovalsOnCommits } from "./find-approvals-on-commits.js";
import { actingApp } from "../github/acting-app.js";
import { isBotAccount } from "../github/is-bot-account.js";
import { parseCommand } from "./parse-command.js";
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
    // The reaction says "seen" at once, but it is a write, paced per installation: when the
    // installation's write budget is spent it waits for GitHub's window. Nothing waits for it but
    // the end of this handler, and a failed reaction costs only the "seen".
    const reacting = deps.rationed?.(repo, author.id)
      ? Promise.resolve()
      : reactToIssueComment(octokit, repo, comment.id, "eyes").then(
          () => undefined,
          (error: unknown) => {
            context.log.warn(
              { err: error, commentId: comment.id },
              "could not react to the command",
            );
          },
        );
    try {
      await answerCommand(
        deps,
        octokit,
        {
          ask: command,
          asker: {
            repo,
            actor: { login: author.login, id: author.id, isBot: false, viaApp: actingApp(comment) },
            channel: "pr_comments",
            source: { kind: "comment", id: comment.id, writtenAt: comment.created_at },
          },
          approvals: getPullRequest(octokit, repo, issue.number).then((pull) =>
            findApprovalsOnCommits(octokit, repo, shasOfPullRequest(pull), deps.appId),
          ),
          thread: pullRequestThread(octokit, repo, issue.number, {
            marker: replyMarker(`comment-${comment.id}`),
            appId: deps.appId,
            since: comment.created_at,
          }),
          reply: { place: "pull request", source: "command" },
          about: { commentId: comment.id },
        },
        context.log,
      );
    } finally {
      await reacting;
    }
  };
}
