import type { InvariantName } from "./check-invariants.js";
import {
  answerInConsole,
  click,
  comment,
  crash,
  deliver,
  deliverAll,
  expire,
  fault,
  rename,
  replay,
  republish,
  settled,
  supersede,
  type ModelCommand,
} from "./model-commands.js";

export interface DefectScenario {
  /** What goes wrong, in the words. */
  defect: string;
  invariants: InvariantName[];
  requiredApprovals: 1 | 2;
  commands: () => ModelCommand[];
  /** How the checker first found it: the seed and path of its random search, shrunk to this. */
  found: string;
  /** Interleavings to try (60 unless the defect needs a rarer one). */
  runs?: number;
}

/**
 * Every defect the model checker found against main, as the scenario its shrunk counterexample
 * comes down to. Each runs over many interleavings: the defect shows in some of them.
 */
export const defectScenarios = {
  "duplicate deliveries in one process create two live check runs and two notices": {
    defect: "issue 14, item 1: the list-then-create dedupe is not atomic inside one process",
    invariants: [
      "one-live-run-per-approval-and-commit",
      "one-notice-per-approval-and-pull-request",
    ],
    requiredApprovals: 1,
    commands: () => [republish()],
    found: "seed 7, path 17:0:1, shrunk to [republish the notification]",
  },
  "duplicate deliveries on two replicas create two live check runs": {
    defect: "issue 14, item 1: the list-then-create dedupe is not atomic across replicas",
    invariants: [
      "one-live-run-per-approval-and-commit",
      "one-notice-per-approval-and-pull-request",
    ],
    requiredApprovals: 1,
    commands: () => [republish(), deliver(0, 0), deliver(1, 1)],
    found: "seed 11, path 11:2 (one-live-run), 11:1 (notices)",
  },
  "a redelivered notification posts a second notice for the same check run": {
    defect:
      "issue 14, item 1: a duplicate delivery looks for the notice while the first delivery is still posting it",
    invariants: ["one-notice-per-run-and-pull-request"],
    requiredApprovals: 1,
    commands: () => [deliver(0, 0), deliver(1, 0)],
    found:
      "seed 11, path 34:0:14:12:11:11:11:11:11:11:11:11: the same message handled twice while the first posts its notice",
  },
  "a redelivered comment decides an approval whose check run was created after it was written": {
    defect:
      "issue 14, item 3: a command is not bound to what existed when it was written (its first delivery failed before replying)",
    invariants: ["answer-backed-by-votes"],
    requiredApprovals: 1,
    commands: () => [
      comment(0, "alice", "Approved"),
      crash(0),
      deliver(1, 0),
      settled(),
      replay(1, 0),
    ],
    found: "scenario from the issue: comment, failed delivery, check run created, redelivery",
  },
  "a redelivered comment decides the approval of a newer execution on the same commit": {
    defect: "issue 14, item 3: a replayed comment decides the second approval on the commit",
    invariants: ["answer-backed-by-votes"],
    requiredApprovals: 1,
    commands: () => [
      deliverAll(0),
      settled(),
      comment(0, "alice", "Approved"),
      crash(0),
      supersede(true),
      deliverAll(1),
      settled(),
      replay(1, 0),
    ],
    found: "scenario from the issue: replay after a second approval appeared on the commit",
  },
  "a renamed account counts as a second approver": {
    defect: "issue 14, item 4: quorum votes are counted by login",
    invariants: ["answer-backed-by-votes", "no-vote-counted-twice"],
    requiredApprovals: 2,
    commands: () => [
      deliverAll(0),
      settled(),
      click(0, "bob", "Approved", 0),
      settled(),
      rename("bob"),
      click(1, "bob", "Approved", 0),
    ],
    found: "scenario from the issue: one account, two logins",
  },
  "a refusal written from an older view repaints a decided check run as pending": {
    defect:
      "issue 14, item 2: a writer that read the check run before the decision PATCHes after it (lost update)",
    invariants: ["check-run-agrees-with-codepipeline"],
    requiredApprovals: 1,
    commands: () => [
      deliverAll(0),
      settled(),
      click(0, "mallory", "Approved", 0),
      click(1, "alice", "Approved", 0),
      deliverAll(1),
      deliverAll(1),
    ],
    // The stale PATCH must land after the decision and after the lifecycle event's look.
    runs: 200,
    found: "scenario from the issue: a refused click and a decision on two replicas",
  },
  "a replica that crashes between creating its check run and closing it as a duplicate leaves two live runs":
    {
      defect:
        "issue 14, item 1 (found in the issue-14 branch's fix): only the replica that made a duplicate closes it, and the delivery that won deletes the message, so nothing retries the close. The model deleted a message for any receipt handle; SQS promises it only for the latest, so the dead replica's delivery comes back and closes its run",
      invariants: ["one-live-run-per-approval-and-commit"],
      requiredApprovals: 1,
      commands: () => [deliver(1, 0), deliver(0, 0), crash(0)],
      // The crash must fall between the replica's create and its close: rarer since intake reads the
      // policy and the change list before creating.
      runs: 1000,
      found:
        "against issue-14 (52e4451..a0b8fa6): seed 99, path 1368:0:5:4:4:4, run 1,395 of 2,000, shrunk to [deliver(r-slot 1, message #0), deliver(r-slot 0, message #0), crash(slot 0)]",
    },
  "a replica that received the notification first dies after creating a run the winner saw, leaving two live runs":
    {
      defect:
        "issue 14, item 1 (found while fixing the one above): the winner kept its run and left a later one it listed to that run's maker, which died; the winner, the later receiver, deleted the message",
      invariants: ["one-live-run-per-approval-and-commit"],
      requiredApprovals: 1,
      commands: () => [deliver(0, 0), deliver(1, 0), crash(0)],
      // At seed 14 the first interleaving that shows it is run 355.
      runs: 400,
      found:
        "once the model deleted a message only for its latest receipt handle: the reversed delivery order, seed 7, 1,500 runs (r2 created 10001, listed it beside r1's 10002 and kept both; r1 died before its own listing)",
    },
  "a replica that dies after creating its check run for an approval that closed meanwhile leaves it pending":
    {
      defect:
        "issue 14, item 2: the replica read the approval as pending, created its run after the approval closed and died before its recheck; the redelivered notification found the token no longer pending and acknowledged it without looking at GitHub, and the state-change event had come before the run existed",
      invariants: ["check-run-agrees-with-codepipeline"],
      requiredApprovals: 1,
      commands: () => [
        deliver(1, 0),
        expire(),
        deliver(0, 1),
        click(0, "alice", "Approved", 0),
        crash(1),
        answerInConsole("Approved"),
      ],
      // At seed 14 the first interleaving that shows it is run 18.
      runs: 100,
      found: "on main (daef324): seed 14, run 48 of the random search",
    },
  "a notice posted while its answer was lost is never deduplicated, leaving two notices": {
    defect:
      "issue 14, item 1: GitHub applied a duplicate delivery's createComment but answered 502, so the listing after posting that removes duplicate notices was skipped",
    invariants: ["one-notice-per-run-and-pull-request"],
    requiredApprovals: 1,
    commands: () => [
      deliver(1, 0),
      deliver(1, 0),
      replay(0, 0),
      deliver(0, 0),
      deliver(0, 0),
      click(0, "alice", "Approved", 0),
      fault(0, "after"),
    ],
    // At seed 14 the first interleaving that shows it is run 246 (the post that loses its answer
    // must land after the other poster's listing).
    runs: 300,
    found: "on main (daef324): seed 14, run 93 of the random search",
  },
} satisfies Record<string, DefectScenario>;

export type DefectName = keyof typeof defectScenarios;
