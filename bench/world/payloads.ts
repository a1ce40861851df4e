import { createRequire } from "node:module";
import type { ModelApproval } from "./world-model.js";

type Payload = Record<string, unknown>;
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: (Payload & { action?: string })[];
}[];

function example(event: string, action: string): Payload {
  const found = examples
    .find((entry) => entry.name === event)
    ?.examples.find((candidate) => candidate.action === action);
  if (!found) throw new Error(`no ${event}.${action} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

const requestedAction = example("check_run", "requested_action");
const commentCreated = example("issue_comment", "created");

/**
 * The SQS body CodePipeline's notification arrives as: the documented approval JSON inside an SNS
 * envelope. https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-json-format.html
 */
export function approvalNotificationBody(approval: ModelApproval): string {
  const console = `https://console.aws.amazon.com/codesuite/codepipeline/pipelines/${approval.pipelineName}/view?region=us-east-1`;
  const message = {
    region: "us-east-1",
    consoleLink: console,
    approval: {
      pipelineName: approval.pipelineName,
      stageName: approval.stageName,
      actionName: approval.actionName,
      token: approval.token,
      expires: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16) + "Z",
      externalEntityLink: null,
      approvalReviewLink: `${console}#/${approval.stageName}/${approval.actionName}/approve/${approval.token}`,
      customData: "Please review before prod",
    },
  };
  return JSON.stringify({
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: "arn:aws:sns:us-east-1:123456789012:pipeline-approvals",
    Subject: `APPROVAL NEEDED: AWS CodePipeline ${approval.pipelineName} for action ${approval.actionName}`,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: "1",
    Signature: "bench==",
    SigningCertURL: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-bench.pem",
    UnsubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
  });
}

function inRepository(payload: Payload, approval: ModelApproval): Payload {
  const repository = payload.repository as Payload;
  return {
    ...payload,
    repository: {
      ...repository,
      name: approval.repo,
      full_name: `${approval.owner}/${approval.repo}`,
      owner: { ...(repository.owner as Payload), login: approval.owner },
    },
    installation: { id: approval.installationId, node_id: `INST_${approval.installationId}` },
  };
}

/** GitHub's published check_run.requested_action example, for a click on a stored check run. */
export function buttonClickPayload(
  approval: ModelApproval,
  checkRun: Payload,
  login: string,
  identifier = "approve",
): Payload {
  return {
    ...inRepository(requestedAction, approval),
    requested_action: { identifier },
    check_run: { ...(requestedAction.check_run as Payload), ...checkRun },
    sender: { ...(requestedAction.sender as Payload), login, id: accountIdOf(login), type: "User" },
  };
}

/** GitHub's published issue_comment.created example, for a stored comment on the PR. */
export function pullRequestCommentPayload(
  approval: ModelApproval,
  comment: { id: number; body: string; created_at: string; user: { login: string } },
): Payload {
  const issue = commentCreated.issue as Payload;
  const number = approval.pullNumber ?? 1;
  const html = `https://github.com/${approval.owner}/${approval.repo}/pull/${number}`;
  return {
    ...inRepository(commentCreated, approval),
    issue: {
      ...issue,
      number,
      pull_request: {
        url: `https://api.github.com/repos/${approval.owner}/${approval.repo}/pulls/${number}`,
        html_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        merged_at: "2026-11-28T10:00:00Z",
      },
    },
    comment: {
      ...(commentCreated.comment as Payload),
      id: comment.id,
      body: comment.body,
      created_at: comment.created_at,
      updated_at: comment.created_at,
      user: {
        ...((commentCreated.comment as Payload).user as Payload),
        login: comment.user.login,
        id: accountIdOf(comment.user.login),
        type: "User",
      },
    },
    sender: {
      ...(commentCreated.sender as Payload),
      login: comment.user.login,
      id: accountIdOf(comment.user.login),
      type: "User",
    },
  };
}

/** A numeric account id per login: votes and refusal rations are kept per account. */
export function accountIdOf(login: string): number {
  let hash = 7;
  for (const char of login.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return 10_000 + hash;
}
