import { listCheckRunAnnotations } from "../github/check-run-annotations.js";
import type { HistoryEntry, Quorum } from "./check-run-record.schema.js";
import type { DecisionOutcome } from "./decision-types.js";
import type { DecisionStep } from "./decision-step.js";
import { answerPipeline } from "./answer-pipeline.js";
import { compactRecord } from "./compact-record.js";
import { tallyVotes } from "./tally-votes.js";
import { mergeHistory, readVoteLog } from "./vote-log.js";

/** Waits between reads when GitHub does not list a just-written annotation yet. */
const confirmDelaysMs = [250, 1_000];

/**
 * An approval that needs several people, counted without a database: append the vote to the
 * check run's annotation log, read the whole log back, and let the vote at which the number of
 * distinct approvers reaches the quorum be the one that answers CodePipeline. Every replica
 * reading the log picks the same vote, so two approvals arriving together on two replicas make
 * one PutApprovalResult, naming both. See the README, "Quorum without a database".
 */
export async function countApproval(step: DecisionStep, quorum: Quorum): Promise<DecisionOutcome> {
  const { log } = step;
  const vote = step.entry({
    verdict: "Approved",
    result: "counted",
    required: quorum.required,
    detail: `counts toward ${quorum.required} approvals`,
  });
  // The log is read right below, and a closing entry there is shown: no second read.
  const appended = await step.append(vote, { quorum, logReadByCaller: true });

  const entries = await readConfirmedLog(step, vote.id ?? "").catch((error: unknown) => {
    log.warn({ err: error }, "could not read the annotation log");
    return undefined;
  });
  if (!entries) {
    const message =
      "the approval was recorded but could not be read back from GitHub, so it could not be counted safely; approve again if the approval stays pending";
    log.warn({ voteId: vote.id }, "vote not confirmed in the annotation log");
    const next = await step.append(
      step.entry({ verdict: "Approved", result: "failed", detail: message }),
    );
    return { kind: "failed", message, tracked: next };
  }

  const history = mergeHistory(appended.record.history, entries);
  const tally = tallyVotes(
    entries,
    step.deps.leaderTimeoutMs ? { leaderTimeoutMs: step.deps.leaderTimeoutMs } : {},
  );
  if (tally.closedBy?.closes) {
    // Decided meanwhile (another vote reached the quorum, or someone rejected). The append above
    // may have painted the check run as pending again: show the decision the log holds.
    const resolution = tally.closedBy.closes;
    log.info({ resolution: resolution.kind }, "approval closed while this vote was counted");
    const next = await step.show({ resolution, history });
    return { kind: "closed", resolution, tracked: next };
  }

  const leader = tally.leaders.find((candidate) => candidate.id === vote.id);
  if (leader) {
    log.info({ approvers: leader.approvals.map((a) => a.login) }, "quorum reached");
    return answerPipeline(step, { votes: leader.approvals, history });
  }

  const approvals = tally.approvals.map((approval) => approval.login);
  log.info({ approvals, required: quorum.required }, "approval counted");
  // Another replica's vote is the leader and will write the decision: writing now could paint
  // over it. Otherwise show what the log knows when this process knew less.
  const next =
    tally.leaders.length === 0 &&
    !sameEntries(compactRecord({ ...appended.record, history }).history, appended.record.history)
      ? await step.show({ history })
      : appended;
  return { kind: "counted", approvals, required: quorum.required, tracked: next };
}

async function readConfirmedLog(
  step: DecisionStep,
  voteId: string,
): Promise<HistoryEntry[] | undefined> {
  const sleep =
    step.deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    const annotations = await listCheckRunAnnotations(
      step.deps.octokit,
      step.request.repo,
      step.request.checkRun.id,
    );
    const entries = readVoteLog(annotations);
    if (entries.some((entry) => entry.id === voteId)) return entries;
    const delay = confirmDelaysMs[attempt];
    if (delay === undefined) return undefined;
    await sleep(delay);
  }
}

function sameEntries(a: readonly HistoryEntry[], b: readonly HistoryEntry[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry.id === b[index]?.id);
}
