import { afterEach, describe, expect, it } from "vitest";
import { approvalNotification, snsEnvelope, token } from "../fixtures/codepipeline.js";
import { startReminderBridges } from "./reminder-bridges.js";
import { createReminderWorld } from "./reminder-world.js";

/**
 * What reminders add to one approval's lifecycle, by operation (docs/performance.md, "Calls per
 * approval lifecycle"): a change that adds a call changes a count here.
 */
let world: ReturnType<typeof createReminderWorld> | undefined;
let queue: Awaited<ReturnType<typeof startReminderBridges>> | undefined;
afterEach(async () => {
  await queue?.stop();
  world?.stop();
});

const hour = 3_600_000;

describe("API calls reminders add to an approval lifecycle", () => {
  it("intake: one SendMessage and no GitHub call (the notice's policy read is shared); each early link: one SendMessage; the due one: 7 calls and 1 write", async () => {
    world = createReminderWorld({ policy: "defaults:\n  remind_before: 4h\n" });
    world.pending(token);
    queue = await startReminderBridges();
    const { handleMessage } = await queue.bridge();
    const expires = new Date(queue.now().getTime() + 48 * hour).toISOString();
    const notification = JSON.stringify(snsEnvelope(approvalNotification({ expires })));
    await handleMessage({ MessageId: "warm-up", Body: notification });
    world.take();
    world.pending("22222222-2222-4333-8444-555555555555");
    queue.sent.length = 0;

    await handleMessage({
      MessageId: "intake",
      Body: notification.replaceAll(token, "22222222-2222-4333-8444-555555555555"),
    });

    // Exactly the warm intake of docs/performance.md: the policy is read once, for the check run,
    // the notice and the reminder.
    expect(world.take()).toEqual({
      // What changed since the last approved release (issue 16); this is the first release.
      "codepipeline ListActionExecutions": 1,
      "github graphql": 1,
      "codepipeline GetPipelineExecution": 1,
      "codepipeline GetPipelineState": 1,
      "github checks.create": 1,
      "github checks.listForRef": 2,
      "github issues.createComment": 1,
      "github issues.listComments": 1,
      "github repos.getContent": 1,
      "github repos.listPullRequestsAssociatedWithCommit": 1,
    });
    expect(queue.sent.map((m) => m.delaySeconds)).toEqual([900]);

    const [link] = queue.sent;
    await handleMessage({ MessageId: "early", Body: JSON.stringify(link!.body) });
    expect(world.take()).toEqual({});
    expect(queue.sent).toHaveLength(2);

    queue.advance(44 * hour);
    await handleMessage({ MessageId: "due", Body: JSON.stringify(link!.body) });
    expect(world.take()).toEqual({
      "codepipeline ListActionExecutions": 1,
      "github checks.listForRef": 1,
      // Before posting (an earlier reminder) and after (the lowest id is kept).
      "github issues.createComment": 1,
      "github issues.listComments": 2,
      "github repos.getContent": 1,
      "github repos.listPullRequestsAssociatedWithCommit": 1,
    });
    expect(queue.sent).toHaveLength(2);
    expect(world.unexpected).toEqual([]);
  });
});
