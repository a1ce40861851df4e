import { sha } from "../fixtures/codepipeline.js";
import { nockCodePipeline } from "../helpers/codepipeline-api.js";
import {
  nockInstallationToken,
  nockListAnnotations,
  nockListCheckRuns,
  nockPermission,
  nockUpdateCheckRun,
  type JsonBody,
} from "../helpers/github-api.js";
import { nockAnswerSearch } from "../helpers/github-command-api.js";
import {
  nockCreateCommitComment,
  nockCreateIssueComment,
  nockGetPullRequest,
  nockListCommitComments,
  nockListIssueComments,
  nockPullRequestsForCommit,
  nockReactToIssueComment,
  nockUpdateIssueComment,
  type ListedComment,
  type PullRequestSpec,
} from "../helpers/github-conversation-api.js";
export { expectAllDone } from "../helpers/expect-all-done.js";

/**
 * The GitHub and AWS calls of the command scenarios (PR comments, commit comments), built from
 * the per-endpoint helpers. Every scope is returned for `expectAllDone`; request bodies land in one
 * `Sent`. An endpoint a scenario leaves out is one the command must not call.
 */

/** What the app sent, by endpoint. */
export interface Sent {
  reactions: JsonBody[];
  put: JsonBody[];
  updates: JsonBody[];
  noticeEdits: JsonBody[];
  replies: JsonBody[];
}

export function createSent(): Sent {
  return { reactions: [], put: [], updates: [], noticeEdits: [], replies: [] };
}

export const mergeSha = "c".repeat(40);

/** This app's notice for check run 9001 on PR #42. */
export const notice = {
  id: 3001,
  body: "<!-- codepipeline-approvals:notice check-run-9001 -->\nwaiting",
};

/**
 * A command on PR #42: the token, the eyes reaction (answered with `reactionStatus`), the search
 * for an earlier answer (finding `earlier`), the pull request, the check runs of its head and,
 * once merged, of its merge commit; then the reply, unless the command must not answer.
 */
export function nockPullRequestCommand(
  sent: Sent,
  {
    checkRuns,
    mergeCheckRuns,
    earlier = [],
    reactionStatus = 201,
    replies = true,
  }: {
    checkRuns: unknown[];
    /** Merges PR #42 into `mergeSha`, carrying these check runs. */
    mergeCheckRuns?: unknown[];
    earlier?: ListedComment[];
    reactionStatus?: number;
    replies?: boolean;
  },
) {
  const pull: PullRequestSpec = mergeCheckRuns
    ? { headSha: sha, merged: true, mergeCommitSha: mergeSha }
    : { headSha: sha };
  return [
    nockInstallationToken(),
    nockReactToIssueComment(700, sent.reactions, reactionStatus),
    nockAnswerSearch(42, earlier),
    nockGetPullRequest(42, pull),
    nockListCheckRuns(sha, checkRuns),
    ...(mergeCheckRuns ? [nockListCheckRuns(mergeSha, mergeCheckRuns)] : []),
    ...(replies ? [nockCreateIssueComment(42, sent.replies)] : []),
  ];
}

/**
 * A command on a commit: the token, the search for an earlier answer (finding `earlier`), the
 * commit's check runs; then the reply, unless the command must not answer.
 */
export function nockCommitCommand(
  sent: Sent,
  {
    checkRuns,
    earlier = [],
    replies = true,
  }: { checkRuns: unknown[]; earlier?: ListedComment[]; replies?: boolean },
) {
  return [
    nockInstallationToken(),
    nockListCommitComments(sha, earlier),
    nockListCheckRuns(sha, checkRuns),
    ...(replies ? [nockCreateCommitComment(sha, sent.replies)] : []),
  ];
}

/**
 * A decision that goes through: the person's permission, PutApprovalResult, the check run, then
 * the notices: the pull requests of `commit` and, when there are any, PR #42's notice (edited when
 * `notice` is found).
 */
export function nockDecision(
  sent: Sent,
  {
    login = "alice",
    checkRunId = 9001,
    commit = sha,
    pulls = [],
    notices = [],
  }: {
    login?: string;
    checkRunId?: number;
    commit?: string;
    pulls?: PullRequestSpec[];
    notices?: (typeof notice)[];
  } = {},
) {
  return [
    nockPermission(login, "write"),
    nockCodePipeline("PutApprovalResult", { approvedAt: 1795867200 }, { requests: sent.put }),
    nockUpdateCheckRun(checkRunId, sent.updates),
    nockPullRequestsForCommit(commit, pulls),
    ...(pulls.length > 0 ? [nockListIssueComments(42, notices)] : []),
    ...notices.map((found) => nockUpdateIssueComment(found.id, sent.noticeEdits)),
  ];
}

/** A refusal: the person's permission is too low, and the check run records the attempt. */
export function nockRefusal(
  sent: Sent,
  { login, permission = "read" }: { login: string; permission?: string },
) {
  return [
    nockPermission(login, permission),
    nockUpdateCheckRun(9001, sent.updates),
    // The refusal leaves the run pending: the log is read for a decision it may have hidden.
    nockListAnnotations(9001),
  ];
}

/** PR #42, open, with the commit `sha` as its head. */
export const openPullRequest: PullRequestSpec[] = [{ number: 42, headSha: sha }];
