import { afterEach, describe, expect, it } from "vitest";
import type { PendingApproval } from "../../src/approvals/approval.js";
import { newRecord } from "../../src/approvals/check-run-record.js";
import type { ReminderMessage } from "../../src/intake/queue-message.schema.js";
import { handleSqsEvent } from "../../src/lambda/handle-sqs-event.js";
import { formatTime } from "../../src/presentation/escape-markdown.js";
import { reminderMessageFor } from "../../src/reminders/reminder-message.js";
import {
  approvalNotification,
  executionId,
  pipelineName,
  sha,
  snsEnvelope,
  token,
} from "../fixtures/codepipeline.js";
import { repo } from "../helpers/github-api.js";
import { buttonClick } from "../fixtures/github.js";
import { appId, createTestLog, receive } from "../helpers/probot.js";
import { eventually, startReminderBridges } from "./reminder-bridges.js";
import { createReminderWorld, type StoredComment } from "./reminder-world.js";

let world: ReturnType<typeof createReminderWorld> | undefined;
let queue: Awaited<ReturnType<typeof startReminderBridges>> | undefined;
afterEach(async () => {
  await queue?.stop();
  world?.stop();
  queue = undefined;
  world = undefined;
});

const minute = 60_000;
const policyWithReminder = [
  "defaults:",
  "  remind_before: 30m",
  "  approvers: [alice, acme/release]",
].join("\n");

function isReminder(comment: StoredComment) {
  return comment.body.includes("<!-- codepipeline-approvals:reminder ");
}

/** A pending approval of the fixtures' execution that expires `inMs` from `now`. */
function approvalExpiring(now: Date, inMs: number): PendingApproval {
  return {
    region: "us-east-1",
    pipelineName,
    stageName: "Approval",
    actionName: "ManualApproval",
    executionId,
    token,
    expiresAt: new Date(now.getTime() + inMs).toISOString(),
  };
}

function dueMessage(approval: PendingApproval, dueAt: Date): ReminderMessage {
  return reminderMessageFor(approval, { ...repo, sha }, dueAt.toISOString());
}

async function queueEmpty() {
  const { visible, inFlight } = await queue!.count();
  return visible + inFlight === 0;
}

async function startOne(policy: string | null, options: { withPullRequest?: boolean } = {}) {
  world = createReminderWorld({ policy, ...options });
  world.pending(token);
  queue = await startReminderBridges();
  const parts = await queue.bridge();
  queue.consume(parts);
  return { world, queue, parts };
}

describe("reminders through the queue (local-aws-sqs, GitHub and CodePipeline over HTTP)", () => {
  it("posts one reminder on the pull request when it comes due, naming the policy's approvers and the expiry", async () => {
    const { world, queue, parts } = await startOne(policyWithReminder);
    const expires = new Date(Date.now() + 30 * minute + 3_000).toISOString();

    await queue.send(snsEnvelope(approvalNotification({ expires })));

    await eventually(() => world.comments.some(isReminder));
    const scheduled = queue.sent.filter((m) => m.body.type === "codepipeline-approvals.reminder");
    expect(scheduled).toHaveLength(1);
    // SQS itself held the message until it was due: the delay asked for was the time left (0 when
    // a loaded machine took the 3 s to publish).
    expect(scheduled[0]!.delaySeconds).toBeGreaterThanOrEqual(0);
    expect(scheduled[0]!.delaySeconds).toBeLessThanOrEqual(3);
    expect(scheduled[0]!.body.dueAt).toBe(
      new Date(Date.parse(expires) - 30 * minute).toISOString(),
    );
    const [reminder] = world.comments.filter(isReminder);
    expect(reminder!.body).toContain("@alice @acme/release:");
    expect(reminder!.body).toContain(`It expires at ${formatTime(expires)} (in 30 minutes)`);
    expect(reminder!.body).toContain("`my-service-pipeline/Approval/ManualApproval`");
    await eventually(queueEmpty);
    const posted = await parts.metrics.remindersPosted.get();
    expect(posted.values).toEqual([
      expect.objectContaining({ value: 1, labels: { where: "pull_request" } }),
    ]);

    // SQS delivers at least once: the same due message again posts nothing.
    world.take();
    await queue.send(scheduled[0]!.body);
    await eventually(() => queue.messages().includes("reminder already posted"));
    expect(world.comments.filter(isReminder)).toHaveLength(1);
    expect(world.take()["github issues.createComment"]).toBeUndefined();
    expect(world.unexpected).toEqual([]);
  });

  it.each([
    [
      "approved",
      { status: "Succeeded", summary: "Approved by @bob via check run button" } as const,
    ],
    ["rejected", { status: "Failed", summary: "Rejected by @bob" } as const],
    [
      "superseded by a newer run",
      { status: "InProgress", token: "11111111-2222-4333-8444-555555555555" } as const,
    ],
  ])("posts nothing when the approval was %s before it came due", async (_what, action) => {
    const { world, queue } = await startOne(policyWithReminder);
    const approval = approvalExpiring(queue.now(), 30 * minute);
    world.seedCheckRun(approval);
    world.setAction(action);

    await queue.send(dueMessage(approval, queue.now()));

    await eventually(() =>
      queue.messages().includes("reminder not posted: the approval is no longer pending"),
    );
    await eventually(queueEmpty);
    const calls = world.take();
    // CodePipeline is asked, and nothing on GitHub is touched.
    expect(calls).toEqual({ "codepipeline ListActionExecutions": 1 });
    expect(world.comments).toEqual([]);
  });

  it("posts nothing, asking nobody, once the approval has expired", async () => {
    const { world, queue } = await startOne(policyWithReminder);
    const approval = approvalExpiring(queue.now(), -minute);

    await queue.send(dueMessage(approval, new Date(queue.now().getTime() - 2 * minute)));

    await eventually(() =>
      queue.messages().includes("reminder not posted: the approval has expired"),
    );
    await eventually(queueEmpty);
    expect(world.take()).toEqual({});
  });

  it("posts nothing when the check run was decided on GitHub though CodePipeline has not caught up", async () => {
    const { world, queue } = await startOne(policyWithReminder);
    const approval = approvalExpiring(queue.now(), 30 * minute);
    // The deciding replica wrote its record; CodePipeline's state has not changed yet.
    const record = newRecord(approval);
    world.seedCheckRun(approval, {
      approval,
      record: {
        ...record,
        resolution: {
          kind: "decided",
          status: "Approved",
          deciders: ["bob"],
          channel: "buttons",
          at: queue.now().toISOString(),
        },
      },
    });

    await queue.send(dueMessage(approval, queue.now()));

    await eventually(() =>
      queue
        .messages()
        .includes("reminder not posted: the approval's check run is missing or no longer pending"),
    );
    await eventually(queueEmpty);
    expect(world.comments).toEqual([]);
    expect(world.commitComments).toEqual([]);
  });

  it("is not doubled by two replicas that take duplicates of the due message at the same moment", async () => {
    world = createReminderWorld({ policy: policyWithReminder });
    world.pending(token);
    queue = await startReminderBridges();
    const replicas = [await queue.bridge(), await queue.bridge()];
    const approval = approvalExpiring(queue.now(), 30 * minute);
    world.seedCheckRun(approval);
    // Both look for an earlier reminder before either posts: each finds none and posts.
    world.holdCommentListings(2);
    const due = dueMessage(approval, queue.now());
    await queue.send(due);
    await queue.send(due);

    for (const replica of replicas) queue.consume(replica);

    await eventually(async () => (await queueEmpty()) && world!.comments.length > 0);
    await eventually(
      () =>
        queue!.messages().filter((m) => m === "reminder posted" || m === "reminder already posted")
          .length === 2,
    );
    const calls = world.take();
    expect(calls["github issues.createComment"]).toBe(2);
    expect(world.comments.filter(isReminder).map((c) => c.id)).toEqual([5002]);
    expect(calls["github issues.deleteComment"]).toBeGreaterThanOrEqual(1);
    const counted = await Promise.all(replicas.map((r) => r.metrics.remindersPosted.get()));
    expect(counted.flatMap((metric) => metric.values).reduce((n, v) => n + v.value, 0)).toBe(1);
  });

  it("sends a reminder that is not due yet again with the time left, at most 15 minutes, and touches nothing else", async () => {
    const { world, queue } = await startOne(policyWithReminder);
    const approval = approvalExpiring(queue.now(), 7 * 24 * 60 * minute);

    await queue.send(dueMessage(approval, new Date(queue.now().getTime() + 2 * 60 * minute)));

    await eventually(() => queue.sent.length === 1);
    expect(queue.sent[0]!.delaySeconds).toBe(900);
    expect(queue.sent[0]!.body).toMatchObject({ approval: { token }, commit: { sha } });
    await eventually(async () => (await queue.count()).inFlight === 0);
    // The next link of the chain is on the queue, hidden by its delay.
    expect(await queue.receive()).toEqual([]);
    expect(world.take()).toEqual({});
  });

  it("drops a message whose approval would expire more than 8 days from now, so no chain runs forever", async () => {
    const { world, queue } = await startOne(policyWithReminder);
    const approval = approvalExpiring(queue.now(), 30 * 24 * 60 * minute);

    await queue.send(dueMessage(approval, new Date(queue.now().getTime() + 29 * 24 * 60 * minute)));

    await eventually(() =>
      queue
        .messages()
        .includes("reminder dropped: its approval would expire more than 8 days from now"),
    );
    await eventually(queueEmpty);
    expect(queue.sent).toEqual([]);
    expect(world.take()).toEqual({});
  });

  it("posts when the re-sent message comes back at its time", async () => {
    const { world, queue } = await startOne(policyWithReminder);
    const approval = approvalExpiring(queue.now(), 30 * minute);
    world.seedCheckRun(approval);

    await queue.send(dueMessage(approval, new Date(queue.now().getTime() + 2_000)));

    await eventually(() => queue.sent.length === 1);
    expect(queue.sent[0]!.delaySeconds).toBeGreaterThanOrEqual(0);
    expect(queue.sent[0]!.delaySeconds).toBeLessThanOrEqual(2);
    await eventually(() => world.comments.some(isReminder));
    expect(world.comments.filter(isReminder)).toHaveLength(1);
  });

  it("waits days through a chain of delays: intake asks for 15 minutes, each link for the time left, and the due one posts", async () => {
    const { world, queue, parts } = await startOne(
      "defaults:\n  remind_before: 1d\n  approvers: [alice]\n",
    );
    const expires = new Date(queue.now().getTime() + 7 * 24 * 60 * minute).toISOString();
    await queue.send(snsEnvelope(approvalNotification({ expires })));
    await eventually(() => queue.sent.length === 1);
    const [first] = queue.sent;
    expect(first!.delaySeconds).toBe(900);
    const dueAt = Date.parse(String(first!.body.dueAt));
    expect(dueAt).toBe(Date.parse(expires) - 24 * 60 * minute);

    // Six days later, 100 seconds before its time: sent again for exactly the time left.
    queue.advance(dueAt - queue.now().getTime() - 100_000);
    await parts.handleMessage({ MessageId: "link-1", Body: JSON.stringify(first!.body) });
    expect(queue.sent[1]!.delaySeconds).toBe(100);
    expect(world.comments.some(isReminder)).toBe(false);

    queue.advance(100_000);
    await parts.handleMessage({ MessageId: "link-2", Body: JSON.stringify(queue.sent[1]!.body) });
    const [reminder] = world.comments.filter(isReminder);
    expect(reminder!.body).toContain("@alice:");
    expect(reminder!.body).toContain("(in 1 day)");
  });

  it("starts one timer per approval: a redelivered notification, which finds the check run, starts none", async () => {
    const { world, queue } = await startOne(
      "defaults:\n  remind_before: 1d\n  approvers: [alice]\n",
    );
    const expires = new Date(queue.now().getTime() + 7 * 24 * 60 * minute).toISOString();
    const notification = snsEnvelope(approvalNotification({ expires }));
    await queue.send(notification);
    await eventually(() => queue.sent.length === 1);
    await eventually(queueEmpty);

    // The same notification again (SNS and SQS deliver at least once), on another replica.
    const other = await queue.bridge();
    await other.handleMessage({ MessageId: "again", Body: JSON.stringify(notification) });

    expect(world.checkRuns).toHaveLength(1);
    expect(queue.sent).toHaveLength(1);
  });

  it("reminds on the commit when it has no pull request, and only once", async () => {
    const { world, queue } = await startOne(policyWithReminder, { withPullRequest: false });
    const approval = approvalExpiring(queue.now(), 30 * minute);
    world.seedCheckRun(approval);
    const due = dueMessage(approval, queue.now());

    await queue.send(due);
    await eventually(() => world.commitComments.some(isReminder));
    await eventually(queueEmpty);
    await queue.send(due);
    await eventually(() => queue.messages().includes("reminder already posted"));

    expect(world.commitComments.filter(isReminder)).toHaveLength(1);
    expect(world.commitComments[0]!.body).toContain("@alice @acme/release:");
    expect(world.comments).toEqual([]);
  });

  it("works the same from Lambda's SQS event source, through the same message handler", async () => {
    world = createReminderWorld({ policy: policyWithReminder });
    world.pending(token);
    queue = await startReminderBridges();
    const parts = await queue.bridge();
    // Expires in 30 minutes: one message due now, one due in 20 minutes (before it expires).
    const approval = approvalExpiring(queue.now(), 30 * minute);
    world.seedCheckRun(approval);
    const record = (id: string, body: unknown) => ({
      messageId: id,
      receiptHandle: `handle-${id}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: "1" },
    });

    const result = await handleSqsEvent(parts.handleMessage, createTestLog().log, {
      Records: [
        record("due", dueMessage(approval, queue.now())),
        record("later", dueMessage(approval, new Date(queue.now().getTime() + 20 * minute))),
      ],
    });

    expect(result).toEqual({ batchItemFailures: [] });
    expect(world.comments.filter(isReminder)).toHaveLength(1);
    // The one not due was sent again to the queue, for Lambda to receive later.
    expect(queue.sent.map((m) => m.delaySeconds)).toEqual([900]);
  });
});

describe("remind_before that cannot be read", () => {
  it("schedules no reminder at intake and says why", async () => {
    const { world, queue } = await startOne("defaults:\n  remind_before: 2w\n");

    await queue.send(
      snsEnvelope(
        approvalNotification({ expires: new Date(Date.now() + 60 * minute).toISOString() }),
      ),
    );

    await eventually(() => world.checkRuns.length === 1);
    await eventually(queueEmpty);
    expect(queue.sent).toEqual([]);
    const warning = queue.lines.find((line) =>
      String(line.msg).startsWith("no reminder scheduled"),
    );
    expect(warning).toMatchObject({ level: 40 });
    expect(String(warning!.msg)).toContain(
      'defaults.remind_before: expected a duration such as "30m", "4h", "1d" or "1d12h"',
    );
  });

  it("refuses a decision on the approval like any invalid key, quoting the problem", async () => {
    const { world, queue, parts } = await startOne("defaults:\n  remind_before: 30s\n");
    await parts.probot.load(parts.app);
    await queue.send(
      snsEnvelope(
        approvalNotification({ expires: new Date(Date.now() + 60 * minute).toISOString() }),
      ),
    );
    await eventually(() => world.checkRuns.length === 1);
    const run = world.checkRuns[0]!;

    await receive(
      parts.probot,
      "check_run",
      buttonClick({ checkRun: { ...run, app: { id: appId, slug: "codepipeline-approvals" } } }),
    );

    expect(run.conclusion).toBe("action_required");
    expect(JSON.stringify(run.output)).toContain(
      "the policy file is invalid: defaults.remind_before: expected a duration",
    );
    expect(world.take()["codepipeline PutApprovalResult"]).toBeUndefined();
  });

  it("posts no reminder at the due time when the file became invalid meanwhile", async () => {
    const { world, queue } = await startOne(
      "defaults:\n  remind_before: 30\n  approvers: [alice]\n",
    );
    const approval = approvalExpiring(queue.now(), 30 * minute);
    world.seedCheckRun(approval);

    await queue.send(dueMessage(approval, queue.now()));

    await eventually(() =>
      queue.messages().some((m) => m.startsWith("reminder not posted: the policy file is invalid")),
    );
    await eventually(queueEmpty);
    expect(world.comments).toEqual([]);
  });
});
