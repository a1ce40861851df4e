import type { Channel, PendingApproval } from "../../src/approvals/approval.js";
import type {
  CheckRunRecord,
  HistoryEntry,
  Quorum,
  Resolution,
} from "../../src/approvals/check-run-record.schema.js";
import { newRecord, type TrackedApproval } from "../../src/approvals/check-run-record.js";
import type { ReleaseChanges } from "../../src/approvals/release-changes.schema.js";
import type { ApprovalOnCommit } from "../../src/channels/find-approvals-on-commits.js";
import { evaluateDecision, type DecisionFacts } from "../../src/policy/evaluate-decision.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { ruleForApproval } from "../../src/policy/rule-for-approval.js";
import type { PolicySettingsInput } from "../../src/policy/policy.schema.js";
import { sha } from "../fixtures/codepipeline.js";
import { pendingApproval } from "../fixtures/github.js";
import { lookupFailed } from "../../src/intake/prepare-check-run.js";

/**
 * The states a reviewer can meet, as view models: one approval of my-service-pipeline on commit
 * 6dcb09b of octo-org/service, in every state the check run, the notice and the replies show.
 * every-state.test.ts renders each into a markdown file next to it; `npm run preview` shows them.
 */
export const approval: PendingApproval = {
  ...pendingApproval,
  externalEntityLink: "https://staging.example.com/release/2026-11-28",
};

export const quorumOfTwo: Quorum = {
  required: 2,
  minPermission: "write",
  users: ["alice", "bob"],
  teams: ["octo-org/release"],
  excludesAuthors: true,
  channels: ["buttons", "pr_comments", "commit_comments"],
  reasonOnReject: true,
};

export const defaultsQuorum: Quorum = {
  required: 1,
  minPermission: "write",
  excludesAuthors: false,
  channels: ["buttons", "pr_comments", "commit_comments"],
  reasonOnReject: false,
};

const base = "1111111111111111111111111111111111111111";
const previousExecutionId = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c";
const compareUrl = `https://github.com/octo-org/service/compare/${base}...${sha}`;
const head = {
  sha,
  subject: "Retry payment calls with a budget",
  url: `https://github.com/octo-org/service/commit/${sha}`,
  pull: {
    number: 42,
    title: "Retry payments",
    url: "https://github.com/octo-org/service/pull/42",
  },
};

const aheadSince: Extract<ReleaseChanges["since"], { kind: "compared" }> = {
  kind: "compared",
  base,
  baseExecutionId: previousExecutionId,
  status: "ahead",
  aheadBy: 14,
  behindBy: 0,
  url: compareUrl,
  commits: [
    {
      sha: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
      subject: "Add a retry budget to the payment client",
      login: "alice",
      pull: {
        number: 40,
        title: "Retry budget",
        url: "https://github.com/octo-org/service/pull/40",
      },
    },
    {
      sha: "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2",
      subject: "Log each retry",
      name: "Bob Builder",
    },
    {
      sha: "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3",
      subject: "Update `@types/node` <and> [docs](x)",
      login: "renovate[bot]",
    },
    { sha, subject: head.subject, login: "carol", pull: head.pull },
  ],
};

export const aheadChanges: ReleaseChanges = { head, since: aheadSince };

export const rollbackChanges: ReleaseChanges = {
  head: { sha, subject: "Revert the retry budget", url: head.url },
  since: {
    kind: "compared",
    base,
    baseExecutionId: previousExecutionId,
    status: "behind",
    aheadBy: 0,
    behindBy: 3,
    url: compareUrl,
    commits: [],
  },
};

export const divergedChanges: ReleaseChanges = {
  head,
  since: { ...aheadSince, status: "diverged", aheadBy: 2, behindBy: 5 },
};

export const firstRelease: ReleaseChanges = { head, since: { kind: "first-release" } };

export const otherRepository: ReleaseChanges = {
  head,
  since: {
    kind: "other-repository",
    base: { owner: "octo-org", repo: "old-service", sha: base },
    baseExecutionId: previousExecutionId,
  },
};

function tracked(record: Partial<CheckRunRecord>): TrackedApproval {
  return { approval, record: { ...newRecord(approval), ...record } };
}

function entry(
  actor: string,
  channel: HistoryEntry["channel"],
  fields: Partial<HistoryEntry>,
): HistoryEntry {
  return {
    id: `id-${actor}-${fields.result}`,
    at: "2026-11-28T12:00:00.000Z",
    actor,
    channel,
    ...fields,
  } as HistoryEntry;
}

const approvedAt = "2026-11-28T12:05:00.000Z";
const aliceCounted = entry("alice", "buttons", {
  verdict: "Approved",
  result: "counted",
  required: 2,
  detail: "counts toward 2 approvals",
});

/** Check runs, by file name. */
export const checkRunStates: Record<string, TrackedApproval> = {
  "check-run-pending-before-policy": tracked({}),
  "check-run-pending-defaults": tracked({ quorum: defaultsQuorum, changes: aheadChanges }),
  "check-run-pending-policy-invalid": tracked({
    changes: aheadChanges,
    policyProblem: {
      kind: "invalid",
      files: ["octo-org/service:.github/codepipeline-approvals.yml"],
      problems: ["defaults.required_approvals: Invalid input: expected number, received string"],
    },
  }),
  "check-run-pending-policy-unreadable": tracked({
    changes: aheadChanges,
    policyProblem: { kind: "unreadable", files: [], problems: [] },
  }),
  "check-run-pending-quorum": tracked({ quorum: quorumOfTwo, changes: aheadChanges }),
  "check-run-counting": tracked({
    quorum: quorumOfTwo,
    changes: aheadChanges,
    history: [aliceCounted],
  }),
  "check-run-rollback": tracked({ quorum: defaultsQuorum, changes: rollbackChanges }),
  "check-run-diverged": tracked({ quorum: defaultsQuorum, changes: divergedChanges }),
  "check-run-first-release": tracked({ quorum: defaultsQuorum, changes: firstRelease }),
  "check-run-other-repository": tracked({ quorum: defaultsQuorum, changes: otherRepository }),
  "check-run-changes-lookup-failed": tracked({
    quorum: defaultsQuorum,
    changes: lookupFailed(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
        $metadata: { httpStatusCode: 400 },
      }),
    ),
  }),
  "check-run-on-hold": tracked({
    quorum: quorumOfTwo,
    changes: aheadChanges,
    history: [
      aliceCounted,
      entry("carol", "pr_comments", {
        verdict: "Approved",
        result: "held",
        detail: "Waiting for the incident in #41 to close",
      }),
    ],
  }),
  "check-run-approved": tracked({
    quorum: defaultsQuorum,
    changes: aheadChanges,
    resolution: {
      kind: "decided",
      status: "Approved",
      deciders: ["alice"],
      channel: "buttons",
      at: approvedAt,
    },
    history: [entry("alice", "buttons", { verdict: "Approved", result: "approved" })],
  }),
  "check-run-approved-by-quorum": tracked({
    quorum: quorumOfTwo,
    changes: aheadChanges,
    resolution: {
      kind: "decided",
      status: "Approved",
      deciders: ["alice", "bob"],
      channel: "pr_comments",
      votes: [
        { login: "alice", channel: "buttons" },
        { login: "bob", channel: "pr_comments" },
      ],
      at: approvedAt,
    },
    history: [
      aliceCounted,
      entry("bob", "pr_comments", { verdict: "Approved", result: "approved" }),
    ],
  }),
  "check-run-approved-break-glass": tracked({
    quorum: quorumOfTwo,
    changes: aheadChanges,
    resolution: {
      kind: "decided",
      status: "Approved",
      deciders: ["dana"],
      channel: "pr_comments",
      reason: "Hotfix for the outage, paged at 03:10",
      breakGlass: true,
      at: approvedAt,
    },
    history: [
      entry("dana", "pr_comments", {
        verdict: "Approved",
        result: "approved",
        detail: "Hotfix for the outage, paged at 03:10",
      }),
    ],
  }),
  "check-run-rejected-with-reason": tracked({
    quorum: quorumOfTwo,
    changes: aheadChanges,
    resolution: {
      kind: "decided",
      status: "Rejected",
      deciders: ["bob"],
      channel: "pr_comments",
      reason: "The migration in #40 is not reversible.\nPlease split it out first.",
      at: approvedAt,
    },
    history: [
      entry("rita", "buttons", {
        verdict: "Approved",
        result: "refused",
        detail: "@rita has read permission; deciding needs write or higher",
      }),
      entry("bob", "pr_comments", {
        verdict: "Rejected",
        result: "rejected",
        detail: "The migration in #40 is not reversible. Please split it out first.",
      }),
    ],
  }),
  "check-run-expired": closedByPipeline(
    { kind: "expired", at: "2026-12-05T11:09:00.000Z" },
    "CodePipeline reported FAILED: the approval expired without a decision",
  ),
  "check-run-superseded": closedByPipeline(
    { kind: "superseded", byExecutionId: "77777777-aaaa-4bbb-8ccc-dddddddddddd", at: approvedAt },
    "CodePipeline reported CANCELED: superseded by pipeline execution 77777777-aaaa-4bbb-8ccc-dddddddddddd (commit 7777777)",
  ),
  "check-run-decided-in-console": closedByPipeline(
    {
      kind: "decided-outside",
      status: "Approved",
      viaGitHub: false,
      by: "arn:aws:sts::123456789012:assumed-role/release/dave",
      summary: "Looks good, hotfix",
      at: approvedAt,
    },
    "CodePipeline reported SUCCEEDED: approved outside GitHub (AWS console, CLI or API) by arn:aws:sts::123456789012:assumed-role/release/dave",
    { verdict: "Approved", result: "approved" },
  ),
};

function closedByPipeline(
  resolution: Resolution,
  detail: string,
  fields: Partial<HistoryEntry> = { result: "stale" },
) {
  return tracked({
    quorum: defaultsQuorum,
    changes: aheadChanges,
    resolution,
    history: [entry("CodePipeline", "aws", { ...fields, detail })],
  });
}

/** The check run as a command or a notice points at it. */
export const checkRun = {
  id: 9001,
  name: "CodePipeline: my-service-pipeline/Approval/ManualApproval",
  head_sha: sha,
  external_id: null,
  html_url: "https://github.com/octo-org/service/runs/9001",
  output: {},
};

export function onCommit(
  state: TrackedApproval,
  overrides: Partial<typeof checkRun> = {},
): ApprovalOnCommit {
  return { tracked: state, checkRun: { ...checkRun, ...overrides } };
}

/** Every refusal the policy gives, worded by the policy module itself (evaluateDecision). */
export function refusals(): Record<string, string> {
  const facts: DecisionFacts = {
    login: "rita",
    isBot: false,
    role: "write",
    channel: "pr_comments",
    verdict: "Approved",
  };
  const refuse = (settings: PolicySettingsInput, changed: Partial<DecisionFacts>): string => {
    const load = parsePolicy({ defaults: settings });
    if (load.kind !== "valid") throw new Error("test policy is invalid");
    const verdict = evaluateDecision(ruleForApproval(load.policy, approval), {
      ...facts,
      ...changed,
    });
    if (verdict.kind !== "refused") throw new Error("expected a refusal");
    return verdict.reason;
  };
  const channel: Channel = "reviews";
  return {
    "reply-refused-bot": refuse({}, { isBot: true }),
    "reply-refused-channel": refuse({}, { channel }),
    "reply-refused-permission": refuse({}, { role: "read" }),
    "reply-refused-reason-button": refuse(
      { require_reason_on_reject: true },
      { verdict: "Rejected", channel: "buttons" },
    ),
    "reply-refused-reason-comment": refuse(
      { require_reason_on_reject: true },
      { verdict: "Rejected" },
    ),
    "reply-refused-not-approver": refuse(
      { approvers: ["alice", "octo-org/release"] },
      { teams: { "octo-org/release": "not-member" } },
    ),
    "reply-refused-team-unknown": refuse(
      { approvers: ["octo-org/release"] },
      { teams: { "octo-org/release": { error: "HTTP 500" } } },
    ),
    "reply-refused-self-approval": refuse(
      { prevent_self_approval: true },
      { authors: [{ login: "rita", as: "commit author" }] },
    ),
    "reply-refused-authors-unknown": refuse(
      { prevent_self_approval: true },
      { authors: { error: "HTTP 502" } },
    ),
  };
}
