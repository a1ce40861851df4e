import { inRepository, objectAt, webhookExample, type Payload } from "../fixtures/github.js";
import { checkRunToApi, commentToApi } from "./github-routes.js";
import type { ModelAccount, ModelCheckRun, ModelComment } from "./github-model.js";

/**
 * Webhook payloads built from GitHub's published examples (@octokit/webhooks-examples), pointed at
 * the model's repository, check runs, comments and accounts: the sender's numeric id and login
 * are the account's as they are when the event happens.
 */
function senderOf(payload: Payload, account: ModelAccount) {
  return { ...objectAt(payload, "sender"), login: account.login, id: account.id, type: "User" };
}

/** A click on one of a check run's buttons, carrying the check run as GitHub shows it now. */
export function clickPayload(
  run: ModelCheckRun,
  account: ModelAccount,
  identifier: string,
): Payload {
  const payload = webhookExample("check_run", "requested_action");
  return {
    ...inRepository(payload),
    requested_action: { identifier },
    check_run: { ...objectAt(payload, "check_run"), ...checkRunToApi(run) },
    sender: senderOf(payload, account),
  };
}

/** `issue_comment.created` (or `.edited`) for a comment on pull request 42. */
export function commentPayload(
  comment: ModelComment,
  account: ModelAccount,
  action: "created" | "edited",
  previousBody?: string,
): Payload {
  const payload = webhookExample("issue_comment", action);
  const issue = objectAt(payload, "issue");
  const number = Number(comment.thread.replace("pr-", ""));
  const htmlUrl = `https://github.com/octo-org/service/pull/${number}`;
  return {
    ...inRepository(payload),
    ...(action === "edited" ? { changes: { body: { from: previousBody ?? "" } } } : {}),
    issue: {
      ...issue,
      number,
      pull_request: {
        url: `https://api.github.com/repos/octo-org/service/pulls/${number}`,
        html_url: htmlUrl,
        diff_url: `${htmlUrl}.diff`,
        patch_url: `${htmlUrl}.patch`,
        merged_at: null,
      },
    },
    comment: { ...objectAt(payload, "comment"), ...commentToApi(comment) },
    sender: senderOf(payload, account),
  };
}
