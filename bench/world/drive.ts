import { deliverWebhook } from "../../test/helpers/deliver-webhook.js";
import type { BenchOptions, Phase } from "../protocol.js";
import type { startFakeCodePipeline } from "./fake-codepipeline.js";
import type { FakeGitHub } from "./fake-github.js";
import type { startFakeSqs } from "./fake-sqs.js";
import {
  approvalNotificationBody,
  buttonClickPayload,
  pullRequestCommentPayload,
} from "./payloads.js";
import { clock, sleep } from "./serve-fake.js";
import type { ModelApproval, WorldModel } from "./world-model.js";

/** Everything a scenario drives and observes. */
export interface World {
  github: FakeGitHub;
  codepipeline: Awaited<ReturnType<typeof startFakeCodePipeline>>;
  sqs: Awaited<ReturnType<typeof startFakeSqs>>;
  model: WorldModel;
  queueUrl: string;
  options: BenchOptions;
  webhook: { port: number; secret: string };
  progress(lifecycles: number): void;
}

/** When each approval went through each step, as the fakes saw it. */
export class Tracker {
  readonly visible = new Map<string, number>();
  readonly created = new Map<string, number>();
  readonly asked = new Map<string, number>();
  readonly decided = new Map<string, number>();
  readonly shown = new Map<string, number>();
  readonly checkRuns = new Map<string, Record<string, unknown>>();
  private readonly createdListeners = new Set<(token: string) => void>();

  constructor(world: World) {
    world.github.onCheckRunCreated((token, at) => {
      if (this.created.has(token)) return;
      this.created.set(token, at);
      for (const listener of this.createdListeners) listener(token);
    });
    world.github.onCheckRunUpdated((token, at, run) => {
      if (this.asked.has(token) && !this.shown.has(token) && run.conclusion === "success") {
        this.shown.set(token, at);
      }
    });
    world.codepipeline.onDecided((token, at) => {
      if (!this.decided.has(token)) this.decided.set(token, at);
    });
  }

  onCreated(listener: (token: string) => void) {
    this.createdListeners.add(listener);
  }

  latencies(from: Map<string, number>, to: Map<string, number>, tokens: Iterable<string>) {
    const out: number[] = [];
    for (const token of tokens) {
      const start = from.get(token);
      const end = to.get(token);
      if (start !== undefined && end !== undefined) out.push(end - start);
    }
    return out;
  }
}

/** Puts one SNS-wrapped notification per approval on the queue, in batches of 10. */
export async function publish(world: World, tracker: Tracker, approvals: ModelApproval[]) {
  const visibleAt = await world.sqs.send(world.queueUrl, approvals.map(approvalNotificationBody));
  approvals.forEach((approval, index) => tracker.visible.set(approval.token, visibleAt[index]!));
}

export async function waitUntil(
  world: World,
  done: () => boolean,
  what: () => string,
  startedAt = clock(),
) {
  const deadline = startedAt + world.options.scenarioTimeoutSeconds * 1000;
  while (!done()) {
    if (clock() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(10);
  }
}

/** Waits until the fake GitHub has seen at least these calls since the phase began. */
export async function waitForCalls(world: World, expected: Record<string, number>) {
  const missing = () =>
    Object.entries(expected).filter(
      ([operation, count]) => (world.github.calls.counts.get(operation) ?? 0) < count,
    );
  await waitUntil(
    world,
    () => missing().length === 0,
    () => `GitHub calls ${JSON.stringify(Object.fromEntries(missing()))}`,
  );
}

/** Waits until the app has gone quiet: queue empty and no call to any fake for `quietMs`. */
export async function settle(world: World, quietMs = 400) {
  const total = () =>
    [world.github.calls, world.codepipeline.calls, world.sqs.calls]
      .flatMap((counter) => [...counter.counts.entries()])
      .filter(([operation]) => operation !== "ReceiveMessage")
      .reduce((sum, [, count]) => sum + count, 0);
  let last = total();
  let quietSince = clock();
  await waitUntil(
    world,
    () => {
      const now = total();
      if (now !== last || world.sqs.remaining(world.queueUrl) > 0) {
        last = now;
        quietSince = clock();
      }
      return clock() - quietSince >= quietMs;
    },
    () => "the app to go quiet",
  );
}

/** The calls made since the last phase, and a fresh count for the next one. */
export function closePhase(world: World, name: string, count: number, wallMs: number): Phase {
  const phase: Phase = {
    name,
    count,
    wallMs,
    calls: {
      github: world.github.calls.snapshot(),
      codepipeline: world.codepipeline.calls.snapshot(),
      sqs: world.sqs.calls.snapshot(),
    },
  };
  world.github.calls.reset();
  world.codepipeline.calls.reset();
  world.sqs.calls.reset();
  return phase;
}

async function postWebhook(world: World, event: string, payload: unknown) {
  const { port, secret } = world.webhook;
  const response = await deliverWebhook({ port, event, payload, secret });
  await response.arrayBuffer();
  if (response.status >= 300) throw new Error(`webhook answered ${response.status}`);
}

/** A person clicks Approve on the approval's check run: GitHub sends check_run.requested_action. */
export async function clickApprove(world: World, tracker: Tracker, approval: ModelApproval) {
  const checkRun = checkRunOf(world, tracker, approval.token);
  tracker.asked.set(approval.token, clock());
  await postWebhook(world, "check_run", buttonClickPayload(approval, checkRun, "alice"));
}

/** A person comments `/approve pipeline/stage/action` on the pull request. */
export async function commentApprove(world: World, tracker: Tracker, approval: ModelApproval) {
  tracker.asked.set(approval.token, clock());
  await commentApproveAs(world, approval, "alice");
}

/** `/approve` from any account, e.g. one without access (not tracked as the decision). */
export async function commentApproveAs(world: World, approval: ModelApproval, login: string) {
  const comment = world.github.addHumanComment(
    approval.owner,
    approval.repo,
    approval.pullNumber ?? 1,
    `/approve ${approval.pipelineName}/${approval.stageName}/${approval.actionName}`,
    login,
  );
  await postWebhook(world, "issue_comment", pullRequestCommentPayload(approval, comment));
}

function checkRunOf(world: World, tracker: Tracker, token: string) {
  if (!tracker.checkRuns.has(token)) {
    for (const run of world.github.checkRuns()) {
      try {
        const runToken = (JSON.parse(String(run.external_id)) as { token: string }).token;
        tracker.checkRuns.set(runToken, run);
      } catch {
        // not an approval check run
      }
    }
  }
  const run = tracker.checkRuns.get(token);
  if (!run) throw new Error(`no check run for ${token}`);
  return run;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}
