import fc from "fast-check";
import { clickPayload, commentPayload } from "./model-webhooks.js";
import { shas, type World } from "./model-world.js";

/**
 * What can happen while replicas work, as fast-check commands. Each one starts its work and
 * returns at once: the work itself goes on between the scheduler's steps, interleaved with
 * everything else. A command that does not apply at the moment it runs (nothing to click, no
 * spare replica) does nothing.
 */
type Command = fc.AsyncCommand<object, World>;

const people = ["alice", "bob", "carol", "mallory"] as const;
export type Person = (typeof people)[number];
type Verdict = "Approved" | "Rejected";

function command(label: string, run: (world: World) => void | Promise<void>): Command {
  return {
    check: () => true,
    run: async (_model, world) => {
      world.note(`— ${label}`);
      await run(world);
    },
    toString: () => label,
  };
}

function account(world: World, person: Person) {
  // Looked up by id: a renamed account acts under its new login.
  const id = { alice: 101, bob: 102, carol: 103, mallory: 104 }[person];
  return world.github.accounts.find((candidate) => candidate.id === id)!;
}

const slot = fc.nat({ max: 2 });
const pick = fc.nat({ max: 7 });
const person = fc.constantFrom<Person>(...people);
const verdict = fc.constantFrom<Verdict>("Approved", "Approved", "Rejected");

/** A queued message reaches a replica; one already in flight elsewhere is a duplicate delivery. */
export const deliver = (at: number, which: number) =>
  command(`deliver(r-slot ${at}, message #${which})`, (world) => {
    const messages = world.pendingMessages(false);
    const message = messages[which % Math.max(1, messages.length)];
    const replica = world.replicas[at % world.replicas.length]!;
    if (message) world.deliverMessage(replica, message);
  });

/** Every visible message reaches one replica. */
export const deliverAll = (at: number) =>
  command(`deliver all(r-slot ${at})`, (world) => {
    const replica = world.replicas[at % world.replicas.length]!;
    for (const message of world.pendingMessages(true)) world.deliverMessage(replica, message);
  });

/** Nothing new happens until every live replica finished its work in hand. */
export const settled = () =>
  command("wait until the replicas are idle", (world) => world.settled());

/** SNS publishes the waiting approval's notification again (at-least-once delivery). */
export const republish = () =>
  command("republish the notification", (world) => {
    const notice = [...world.queue]
      .reverse()
      .find((message) => message.body.includes("Notification"));
    if (notice) world.enqueue(JSON.parse(notice.body) as Record<string, unknown>);
  });

/** A person clicks Approve or Request changes on a check run that shows the buttons. */
export const click = (at: number, who: Person, wanted: Verdict, which: number) =>
  command(`click(slot ${at}, ${who}, ${wanted}, run #${which})`, (world) => {
    const live = world.github.checkRuns.filter((run) => run.actions.length > 0);
    const run = live[which % Math.max(1, live.length)];
    if (!run) return;
    const who_ = account(world, who);
    const replica = world.replicas[at % world.replicas.length]!;
    world.deliverWebhook(
      replica,
      "check_run",
      clickPayload(run, who_, wanted === "Approved" ? "approve" : "reject"),
      vote(world, who_, wanted, { checkRunId: run.id }),
    );
  });

/** A person comments `/approve` or `/reject <reason>` on the pull request. */
export const comment = (at: number, who: Person, wanted: Verdict) =>
  command(`comment(slot ${at}, ${who}, ${wanted})`, (world) => {
    const who_ = account(world, who);
    const body = wanted === "Approved" ? "/approve" : "/reject not this one";
    const written = world.github.addComment("pr-42", body, {
      id: who_.id,
      login: who_.login,
      type: "User",
    });
    const replica = world.replicas[at % world.replicas.length]!;
    world.deliverWebhook(
      replica,
      "issue_comment",
      commentPayload(written, who_, "created"),
      vote(world, who_, wanted, { commentId: written.id }),
    );
  });

/** An earlier webhook is delivered again (GitHub's redelivery, or an admin's). */
export const replay = (at: number, which: number) =>
  command(`replay(slot ${at}, webhook #${which})`, (world) => {
    const earlier = world.webhooks[which % Math.max(1, world.webhooks.length)];
    if (!earlier) return;
    const replica = world.replicas[at % world.replicas.length]!;
    world.deliverWebhook(
      replica,
      earlier.name,
      earlier.payload,
      earlier.vote && { ...earlier.vote },
    );
  });

/** Someone edits a command comment into the opposite command; GitHub sends `edited`. */
export const edit = (at: number, which: number) =>
  command(`edit(slot ${at}, comment #${which})`, (world) => {
    const mine = world.github.comments.filter((c) => c.user.type === "User");
    const target = mine[which % Math.max(1, mine.length)];
    if (!target) return;
    const before = target.body;
    const edited = world.github.editComment(
      target.id,
      before.startsWith("/approve") ? "/reject changed my mind" : "/approve",
    )!;
    const who_ = world.github.accounts.find((a) => a.id === target.user.id)!;
    const replica = world.replicas[at % world.replicas.length]!;
    world.deliverWebhook(replica, "issue_comment", commentPayload(edited, who_, "edited", before));
  });

/** Someone answers in the AWS console; EventBridge reports the state change. */
export const answerInConsole = (wanted: Verdict) =>
  command(`answer in the console: ${wanted}`, (world) => {
    world.pipeline.answerInConsole(wanted);
  });

/** A newer execution supersedes the waiting one: on the same commit, or on a new head commit. */
export const supersede = (sameCommit: boolean) =>
  command(`supersede(${sameCommit ? "same commit" : "new commit"})`, (world) => {
    const sha = sameCommit ? world.github.pullRequests[0]!.headSha : shas[1]!;
    world.github.pullRequests[0]!.headSha = sha;
    world.startExecution(sha);
  });

/** The approval times out: the clock passes its expiry and the action fails. */
export const expire = () =>
  command("expire", (world) => {
    const run = world.pipeline.pending();
    if (!run) return;
    world.advanceClock(Date.parse(run.expires) + 60_000 - Date.now());
    world.pipeline.expire();
  });

/** An account changes its login; its numeric id stays. */
export const rename = (who: Person) =>
  command(`rename ${who}`, (world) => {
    const target = account(world, who);
    world.github.rename(target.id, `${target.logins[0]}-${target.logins.length + 1}`);
  });

/** A replica's next request fails with a 5xx, before or after GitHub or AWS applied it. */
export const fault = (at: number, when: "before" | "after") =>
  command(`fault(slot ${at}, ${when})`, (world) => {
    world.armFault(world.replicas[at % world.replicas.length]!, when);
  });

/** A replica dies between two steps; its remaining work is dropped. */
export const crash = (at: number) =>
  command(`crash(slot ${at})`, (world) => {
    return world.crash(at % world.replicas.length);
  });

function vote(
  world: World,
  who: { id: number; login: string },
  wanted: Verdict,
  about: { checkRunId?: number; commentId?: number },
) {
  return {
    accountId: who.id,
    login: who.login,
    verdict: wanted,
    ...about,
    writtenAt: Date.now(),
    deliveredAt: Date.now(),
    headSha: world.github.pullRequests[0]!.headSha,
  };
}

/** Every command, weighted by repetition: deliveries, clicks and comments are the common case. */
export const allCommands = [
  fc.tuple(slot, pick).map(([at, which]) => deliver(at, which)),
  fc.tuple(slot, pick).map(([at, which]) => deliver(at, which)),
  fc.tuple(slot, pick).map(([at, which]) => deliver(at, which)),
  fc.constant(null).map(() => republish()),
  slot.map((at) => deliverAll(at)),
  fc.constant(null).map(() => settled()),
  fc
    .tuple(slot, person, verdict, pick)
    .map(([at, who, wanted, which]) => click(at, who, wanted, which)),
  fc
    .tuple(slot, person, verdict, pick)
    .map(([at, who, wanted, which]) => click(at, who, wanted, which)),
  fc.tuple(slot, person, verdict).map(([at, who, wanted]) => comment(at, who, wanted)),
  fc.tuple(slot, person, verdict).map(([at, who, wanted]) => comment(at, who, wanted)),
  fc.tuple(slot, pick).map(([at, which]) => replay(at, which)),
  fc.tuple(slot, pick).map(([at, which]) => edit(at, which)),
  verdict.map((wanted) => answerInConsole(wanted)),
  fc.boolean().map((sameCommit) => supersede(sameCommit)),
  fc.constant(null).map(() => expire()),
  fc.constantFrom<Person>("alice", "bob").map((who) => rename(who)),
  fc
    .tuple(slot, fc.constantFrom<"before" | "after">("before", "after"))
    .map(([at, when]) => fault(at, when)),
  slot.map((at) => crash(at)),
];

export type ModelCommand = Command;
