import type { Logger } from "probot";
import type { PendingApproval } from "../approvals/approval.js";
import type { CheckRunRecord, PolicyProblem } from "../approvals/check-run-record.schema.js";
import type { ReleaseChanges } from "../approvals/release-changes.schema.js";
import type { LastApprovedRelease } from "../codepipeline/pipeline-gateway.js";
import type { SourceCommit } from "../codepipeline/pipeline-sources.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { quorumOf } from "../policy/create-authorizer.js";
import type { PolicyLoad } from "../policy/parse-policy.js";
import { ruleForApproval } from "../policy/rule-for-approval.js";
import { errorFields } from "../ops/error-fields.js";
import { clipText } from "../presentation/clip-text.js";
import { lookUpReleaseChanges } from "./look-up-release-changes.js";

/** Reads the repository's policy file (load-policy.ts in production). */
export type ReadPolicy = (octokit: GitHubClient, repo: RepoRef) => Promise<PolicyLoad>;

export interface PrepareDeps {
  log: Logger;
  /** Without it the check run says nothing about who may decide (the policy is not read). */
  readPolicy?: ReadPolicy | undefined;
  /** The last approved release of this action, already being looked up. */
  lastApproved?: Promise<LastApprovedRelease> | undefined;
  /** How long the check run may wait for the change lookup before it is created without it. */
  changesBudgetMs?: number | undefined;
}

/** What the check run is created with, and what follows it. */
export interface CheckRunPreparation {
  /**
   * Added to the new record: who may decide (or why that cannot be said), and what changed when
   * known in time.
   */
  record: Pick<CheckRunRecord, "quorum" | "policyProblem" | "changes">;
  /** The change lookup that missed the budget: added to the check run once it answers. */
  later?: Promise<ReleaseChanges | undefined>;
}

export const defaultChangesBudgetMs = 1_000;

/**
 * Everything the new check run shows beyond the notification, read before it is created: the
 * policy (who may decide; no write of its own) and what changed since the last approved release.
 * The change lookup never holds the check run back longer than the budget: a slow one is handed
 * back as `later`; a failed one is logged and left out.
 */
export async function prepareCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  approval: PendingApproval,
  commit: SourceCommit,
  { log, readPolicy, lastApproved, changesBudgetMs = defaultChangesBudgetMs }: PrepareDeps,
): Promise<CheckRunPreparation> {
  const changes = lastApproved
    ? lookUpReleaseChanges(octokit, commit, lastApproved, log).catch(
        (error: unknown): ReleaseChanges => {
          log.warn(
            { err: error },
            "could not look up what changed since the last approved release",
          );
          return lookupFailed(error);
        },
      )
    : Promise.resolve(undefined);
  // Settled while the policy was still being read: in time, though the budget ran out first.
  let settled: { changes: ReleaseChanges | undefined } | undefined;
  void changes.then((value) => {
    settled = { changes: value };
  });
  let unreadable = false;
  const policy = readPolicy
    ? readPolicy(octokit, repo).catch((error: unknown) => {
        log.warn(
          { err: error },
          "could not read the policy file; the check run says so instead of who may decide",
        );
        unreadable = true;
        return undefined;
      })
    : Promise.resolve(undefined);

  let timer: NodeJS.Timeout | undefined;
  const late = Symbol("late");
  const budget = new Promise<typeof late>((resolve) => {
    timer = setTimeout(() => resolve(late), changesBudgetMs);
  });
  const [load, inTime] = await Promise.all([policy, Promise.race([changes, budget])]);
  clearTimeout(timer);

  const quorum =
    load?.kind === "valid" ? quorumOf(ruleForApproval(load.policy, approval)) : undefined;
  const policyProblem = problemOf(load, unreadable);
  const missed = inTime === late && !settled;
  const known = inTime === late ? settled?.changes : inTime;
  if (missed)
    log.info(
      { budgetMs: changesBudgetMs },
      "what changed is still being looked up; it will be added to the check run",
    );
  return {
    record: {
      ...(quorum ? { quorum } : {}),
      ...(policyProblem ? { policyProblem } : {}),
      ...(known ? { changes: known } : {}),
    },
    ...(missed ? { later: changes } : {}),
  };
}

/** Problems kept in the record, each clipped: the record must stay small (compact-record.ts). */
const keptProblems = 3;
const problemLimit = 200;

/** Pure: why the policy names no one, as the record keeps it; undefined when it does. */
export function problemOf(
  load: PolicyLoad | undefined,
  unreadable: boolean,
): PolicyProblem | undefined {
  if (load?.kind === "invalid") {
    return {
      kind: "invalid",
      files: load.files.slice(0, keptProblems).map((file) => clipText(file, problemLimit)),
      problems: load.problems
        .slice(0, keptProblems)
        .map((problem) => clipText(problem, problemLimit)),
    };
  }
  return unreadable ? { kind: "unreadable", files: [], problems: [] } : undefined;
}

/**
 * A lookup that failed is said, not left out: a reviewer must not take a missing section (or a
 * missing rollback warning) for nothing to report. Only the error's name and status are kept.
 */
export function lookupFailed(error: unknown): ReleaseChanges {
  const { name, status } = errorFields(error);
  const what = status ? `${clipText(name, 60)}, HTTP ${status}` : clipText(name, 60);
  return {
    since: {
      kind: "not-comparable",
      reason: `looking it up failed with ${what}; the execution history in the AWS console shows it`,
    },
  };
}
