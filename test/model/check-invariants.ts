import { readTrackedApproval, tokenOfExternalId } from "../../src/approvals/check-run-record.js";
import type { ModelCheckRun } from "./github-model.js";
import { modelAppId } from "./github-model.js";
import type { World } from "./model-world.js";

/** The protocol's promises, checked once everything settled (issue 14, item 6). */
export const invariants = {
  "one-accepted-answer-per-token": "CodePipeline accepted at most one answer per token",
  "answer-backed-by-votes":
    "an answer sent through GitHub was allowed by the policy, from the distinct accounts that voted for it before it was sent",
  "check-run-agrees-with-codepipeline":
    "every check run says what CodePipeline says: buttons while it waits, the outcome once closed",
  "one-live-run-per-approval-and-commit":
    "at most one check run offers the buttons per approval and commit",
  "one-notice-per-run-and-pull-request": "at most one notice per check run and pull request",
  "one-notice-per-approval-and-pull-request": "at most one notice per approval and pull request",
  "no-vote-counted-twice": "no account is counted twice in a decision",
  "queue-drains": "every queued message is eventually handled and deleted",
  "github-accepts-every-write": "GitHub never refuses a write as invalid (422)",
  "model-covers-every-route": "every request the bridge makes is one the model knows",
} as const;

export type InvariantName = keyof typeof invariants;

export interface Violation {
  invariant: InvariantName;
  detail: string;
}

export function isLive(run: ModelCheckRun): boolean {
  return run.conclusion === "action_required" && run.actions.length > 0;
}

function trackedOf(run: ModelCheckRun) {
  return readTrackedApproval({
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    output: { text: run.output.text },
  });
}

export function checkInvariants(world: World): Violation[] {
  const violations: Violation[] = [];
  const fail = (invariant: InvariantName, detail: string) => violations.push({ invariant, detail });
  const { github, pipeline } = world;
  const runsOf = (token: string) =>
    github.checkRuns.filter((run) => tokenOfExternalId(run.external_id) === token);
  const firstRunAt = (token: string) => Math.min(...runsOf(token).map((run) => run.createdAt));
  const short = (token: string) => `…${token.slice(-4)}`;

  // At most one accepted answer per token.
  const byToken = new Map<string, number>();
  for (const answer of pipeline.accepted)
    byToken.set(answer.token, (byToken.get(answer.token) ?? 0) + 1);
  for (const [token, count] of byToken) {
    if (count > 1)
      fail("one-accepted-answer-per-token", `token ${short(token)} accepted ${count} answers`);
  }

  // Each answer sent through GitHub is backed by enough distinct, permitted, timely votes.
  for (const answer of pipeline.accepted.filter((a) => a.via === "api")) {
    const run = pipeline.run(answer.token)!;
    const voters = new Set(
      world.votes
        .filter((vote) => vote.verdict === answer.status && vote.deliveredAt <= answer.at)
        .filter((vote) => {
          const account = github.accounts.find((a) => a.id === vote.accountId);
          return account?.permission === "write" || account?.permission === "admin";
        })
        .filter((vote) =>
          vote.checkRunId !== undefined
            ? tokenOfExternalId(
                github.checkRuns.find((r) => r.id === vote.checkRunId)?.external_id,
              ) === answer.token
            : vote.writtenAt >= firstRunAt(answer.token) && vote.headSha === run.sha,
        )
        .map((vote) => vote.accountId),
    );
    const needed = answer.status === "Approved" ? world.requiredApprovals : 1;
    if (voters.size < needed) {
      fail(
        "answer-backed-by-votes",
        `token ${short(answer.token)} ${answer.status} ("${answer.summary}") with ${voters.size} valid vote(s) from [${[...voters].join(", ")}], ${needed} needed`,
      );
    }
    const mentioned = [...answer.summary.matchAll(/@([A-Za-z0-9-]+)/g)].map(
      (match) => github.accountEver(match[1]!)?.id ?? match[1],
    );
    if (new Set(mentioned).size < mentioned.length) {
      fail("no-vote-counted-twice", `token ${short(answer.token)} answered "${answer.summary}"`);
    }
  }

  for (const run of github.checkRuns) {
    const tracked = trackedOf(run);
    const resolution = tracked?.record.resolution;
    if (resolution?.kind === "decided") {
      const deciders = resolution.deciders.map((login) => github.accountEver(login)?.id ?? login);
      if (new Set(deciders).size < deciders.length) {
        fail(
          "no-vote-counted-twice",
          `check run ${run.id} names deciders ${resolution.deciders.join(", ")}`,
        );
      }
    }
  }

  // Check runs agree with CodePipeline; one live run per approval and commit.
  const tokens = new Set(github.checkRuns.map((run) => tokenOfExternalId(run.external_id)));
  for (const token of tokens) {
    if (!token) continue;
    const approval = pipeline.run(token);
    if (!approval) continue;
    const runs = runsOf(token);
    for (const sha of new Set(runs.map((run) => run.head_sha))) {
      const here = runs.filter((run) => run.head_sha === sha);
      const live = here.filter(isLive);
      if (live.length > 1) {
        fail(
          "one-live-run-per-approval-and-commit",
          `token ${short(token)} has ${live.length} check runs with buttons (${live.map((r) => r.id).join(", ")})`,
        );
      }
      if (approval.status === "InProgress" && live.length === 0) {
        fail(
          "check-run-agrees-with-codepipeline",
          `token ${short(token)} waits in CodePipeline but none of its check runs (${here.map((r) => `${r.id}: ${trackedOf(r)?.record.resolution.kind}`).join(", ")}) offers the buttons`,
        );
      }
    }
    if (approval.status === "InProgress") continue;
    for (const run of runs) {
      const resolution = trackedOf(run)?.record.resolution;
      const claim = resolution
        ? "status" in resolution
          ? `${resolution.kind} ${resolution.status}`
          : resolution.kind
        : "unreadable";
      const outcome =
        approval.status === "Failed" && !approval.summary ? "Expired" : approval.status;
      // A run closed as a duplicate of the live one names no outcome of its own.
      const duplicate =
        resolution !== undefined &&
        (resolution as { duplicateOf?: unknown }).duplicateOf !== undefined;
      const sameOutcome =
        resolution !== undefined &&
        (!("status" in resolution) ||
          (resolution.status === "Approved") === (approval.status === "Succeeded")) &&
        !(
          approval.status === "Succeeded" &&
          !("status" in resolution) &&
          resolution.kind !== "gone"
        );
      const agrees =
        !isLive(run) &&
        resolution !== undefined &&
        resolution.kind !== "pending" &&
        (duplicate || sameOutcome);
      if (!agrees) {
        fail(
          "check-run-agrees-with-codepipeline",
          `check run ${run.id} (token ${short(token)}) says "${claim}"${isLive(run) ? " with buttons" : ""} but CodePipeline says ${outcome}`,
        );
      }
    }
  }

  // Notices.
  const perRun = new Map<string, number>();
  const perApproval = new Map<string, number>();
  for (const comment of github.comments) {
    if (comment.viaAppId !== modelAppId) continue;
    const match = /codepipeline-approvals:notice check-run-(\d+)/.exec(comment.body);
    if (!match) continue;
    const runId = Number(match[1]);
    const token = tokenOfExternalId(github.checkRuns.find((run) => run.id === runId)?.external_id);
    const runKey = `${runId} on ${comment.thread}`;
    const approvalKey = `${token ? short(token) : "?"} on ${comment.thread}`;
    perRun.set(runKey, (perRun.get(runKey) ?? 0) + 1);
    perApproval.set(approvalKey, (perApproval.get(approvalKey) ?? 0) + 1);
  }
  for (const [key, count] of perRun) {
    if (count > 1)
      fail("one-notice-per-run-and-pull-request", `check run ${key}: ${count} notices`);
  }
  for (const [key, count] of perApproval) {
    if (count > 1)
      fail("one-notice-per-approval-and-pull-request", `token ${key}: ${count} notices`);
  }

  const left = world.pendingMessages(false);
  if (left.length > 0) {
    fail(
      "queue-drains",
      `${left.length} message(s) never handled: ${left.map((m) => m.id).join(", ")}`,
    );
  }
  for (const refused of world.refusedWrites) fail("github-accepts-every-write", refused);
  for (const route of new Set(world.unknownRoutes)) fail("model-covers-every-route", route);
  return violations;
}
