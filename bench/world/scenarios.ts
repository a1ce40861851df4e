import type { Phase, ScenarioName, WorldResult } from "../protocol.js";
import { percentiles } from "../report/summarize.js";
import {
  clickApprove,
  closePhase,
  commentApprove,
  commentApproveAs,
  inPool,
  publish,
  settle,
  Tracker,
  waitForCalls,
  waitUntil,
  type World,
} from "./drive.js";
import { clock, sleep } from "./serve-fake.js";
import type { ModelApproval } from "./world-model.js";

type Outcome = Omit<WorldResult, "scenario" | "github">;

/** Sets up the approvals a scenario needs, before the app starts. */
export function prepareScenario(world: World, scenario: ScenarioName): void {
  const { options, model } = world;
  const perInstallation = Math.ceil(options.approvals / options.installations);
  const pipelines = (approvals: number, actions = options.actionsPerPipeline) => ({
    pipelines: Math.ceil(approvals / actions),
    actionsPerPipeline: actions,
    pullRequests: options.pullRequests,
  });
  switch (scenario) {
    case "burst":
    case "buttons":
    case "comments":
      for (let id = 1; id <= options.installations; id += 1) {
        model.addPipelines({ installationId: id, prefix: scenario, ...pipelines(perInstallation) });
      }
      return;
    case "fairness":
      model.addPipelines({ installationId: 1, prefix: "busy", ...pipelines(options.approvals) });
      model.addPipelines({ installationId: 2, prefix: "quiet", ...pipelines(1, 1) });
      return;
    case "steady":
      // The same pipelines run again and again, as in a working day; each run is a new approval.
      for (let id = 1; id <= options.installations; id += 1) {
        model.addPipelines({
          installationId: id,
          prefix: "steady",
          ...pipelines(steadyPipelinesPerInstallation, 1),
          executions: 0,
        });
      }
      return;
    case "outsiders":
      // One approval on a merged pull request, where anyone may comment.
      model.addPipelines({
        installationId: 1,
        prefix: "outsiders",
        pipelines: 1,
        actionsPerPipeline: 1,
        pullRequests: true,
      });
      return;
  }
}

const steadyPipelinesPerInstallation = 4;

/** People without access who comment `/approve` beside the one legitimate approval. */
export const outsiderCount = 150;

export const scenarioDescriptions: Record<ScenarioName, string> = {
  burst: "burst of approval notifications over several installations",
  fairness: "one installation's burst beside another installation's single approval",
  buttons: "decisions through check run buttons (after the approvals were published)",
  comments: "decisions through /approve PR comments (after the approvals were published)",
  steady: "mixed steady load: notifications, then button clicks (70%) and PR comments (30%)",
  outsiders: `${outsiderCount} people without access comment /approve, then one legitimate /approve`,
};

export async function runScenario(world: World, scenario: ScenarioName): Promise<Outcome> {
  switch (scenario) {
    case "burst":
      return burst(world);
    case "fairness":
      return fairness(world);
    case "buttons":
      return decisions(world, "buttons");
    case "comments":
      return decisions(world, "comments");
    case "steady":
      return steady(world);
    case "outsiders":
      return outsiders(world);
  }
}

/** Approvals taken in turn from each installation, as a busy morning mixes them. */
function interleaved(approvals: Iterable<ModelApproval>): ModelApproval[] {
  const lanes = new Map<number, ModelApproval[]>();
  let total = 0;
  for (const approval of approvals) {
    const lane = lanes.get(approval.installationId) ?? [];
    lane.push(approval);
    lanes.set(approval.installationId, lane);
    total += 1;
  }
  const mixed: ModelApproval[] = [];
  for (let index = 0; mixed.length < total; index += 1) {
    for (const lane of lanes.values()) {
      const approval = lane[index];
      if (approval) mixed.push(approval);
    }
  }
  return mixed;
}

/** Publishes every approval at once; done when each has its check run and the app is quiet. */
async function intakeAll(world: World, tracker: Tracker, approvals: ModelApproval[]) {
  const started = clock();
  await publish(world, tracker, approvals);
  await waitUntil(
    world,
    () => approvals.every((approval) => tracker.created.has(approval.token)),
    () => `check runs (${tracker.created.size} of ${approvals.length})`,
    started,
  );
  const lastCreated = Math.max(
    ...approvals.map((approval) => tracker.created.get(approval.token)!),
  );
  await settle(world);
  return { started, wallMs: lastCreated - started };
}

async function burst(world: World): Promise<Outcome> {
  const tracker = new Tracker(world);
  const approvals = interleaved(world.model.approvals.values());
  const { wallMs } = await intakeAll(world, tracker, approvals);
  const tokens = approvals.map((approval) => approval.token);
  return {
    description: scenarioDescriptions.burst,
    approvals: approvals.length,
    decisions: 0,
    wallMs,
    intakeLatencies: tracker.latencies(tracker.visible, tracker.created, tokens),
    decisionLatencies: [],
    decisionShownLatencies: [],
    phases: [closePhase(world, "intake", approvals.length, wallMs)],
    notes: {},
  };
}

async function fairness(world: World): Promise<Outcome> {
  const tracker = new Tracker(world);
  const all = [...world.model.approvals.values()];
  const busy = all.filter((approval) => approval.installationId === 1);
  const quiet = all.filter((approval) => approval.installationId === 2);
  const started = clock();
  // The quiet installation's approval arrives last: behind the whole burst on the queue.
  await publish(world, tracker, busy);
  await publish(world, tracker, quiet);
  const quietToken = quiet[0]!.token;
  await waitUntil(
    world,
    () => tracker.created.has(quietToken),
    () => "the quiet installation's check run",
    started,
  );
  const busyShownWhenQuietDone = busy.filter((a) => tracker.created.has(a.token)).length;
  await waitUntil(
    world,
    () => busy.every((approval) => tracker.created.has(approval.token)),
    () => `the burst's check runs (${tracker.created.size - 1} of ${busy.length})`,
    started,
  );
  const wallMs =
    Math.max(...busy.map((approval) => tracker.created.get(approval.token)!)) - started;
  await settle(world);
  const busyTokens = busy.map((approval) => approval.token);
  return {
    description: scenarioDescriptions.fairness,
    approvals: all.length,
    decisions: 0,
    wallMs,
    intakeLatencies: tracker.latencies(tracker.visible, tracker.created, busyTokens),
    decisionLatencies: [],
    decisionShownLatencies: [],
    phases: [closePhase(world, "intake", all.length, wallMs)],
    notes: {
      "quiet installation: message visible → check run (ms)": Math.round(
        tracker.created.get(quietToken)! - tracker.visible.get(quietToken)!,
      ),
      "busy installation's check runs already shown by then": busyShownWhenQuietDone,
      "busy installation: burst drained after (ms)": Math.round(wallMs),
    },
  };
}

async function decisions(world: World, channel: "buttons" | "comments"): Promise<Outcome> {
  const tracker = new Tracker(world);
  const approvals = interleaved(world.model.approvals.values());
  const intake = await intakeAll(world, tracker, approvals);
  const phases: Phase[] = [closePhase(world, "intake", approvals.length, intake.wallMs)];

  const started = clock();
  const decide = channel === "buttons" ? clickApprove : commentApprove;
  await inPool(approvals, 100, (approval) => decide(world, tracker, approval));
  await waitUntil(
    world,
    () => approvals.every((approval) => tracker.shown.has(approval.token)),
    () => `decisions shown (${tracker.shown.size} of ${approvals.length})`,
    started,
  );
  const wallMs =
    Math.max(...approvals.map((approval) => tracker.decided.get(approval.token)!)) - started;
  // The PR notices (and, for comments, the replies) come after: writes paced like the others.
  await waitForCalls(world, {
    "issues.updateComment": world.options.pullRequests ? approvals.length : 0,
    "issues.createComment": channel === "comments" ? approvals.length : 0,
  });
  await settle(world);
  phases.push(closePhase(world, "decision", approvals.length, wallMs));
  const tokens = approvals.map((approval) => approval.token);
  return {
    description: scenarioDescriptions[channel],
    approvals: approvals.length,
    decisions: approvals.length,
    wallMs,
    intakeLatencies: tracker.latencies(tracker.visible, tracker.created, tokens),
    decisionLatencies: tracker.latencies(tracker.asked, tracker.decided, tokens),
    decisionShownLatencies: tracker.latencies(tracker.asked, tracker.shown, tokens),
    phases,
    notes: {},
  };
}

/**
 * Approvals arrive at a steady rate over several installations; each is decided shortly after its
 * check run appears, mostly by button, sometimes by comment.
 */
async function steady(world: World): Promise<Outcome> {
  const tracker = new Tracker(world);
  const { steadySeconds, steadyRate } = world.options;
  const total = Math.ceil(steadySeconds * steadyRate);
  const pipelines = interleavedPipelines(world);
  const approvals: ModelApproval[] = [];
  const byToken = new Map<string, { approval: ModelApproval; comment: boolean }>();
  const decisions: Promise<void>[] = [];
  tracker.onCreated((token) => {
    const found = byToken.get(token);
    if (!found) return;
    const decide = found.comment ? commentApprove : clickApprove;
    decisions.push(
      sleep(200 + Math.random() * 600).then(() => decide(world, tracker, found.approval)),
    );
  });
  const progress = setInterval(() => world.progress(tracker.shown.size), 1000);

  const started = clock();
  for (let index = 0; index < total; index += 1) {
    await sleep(started + (index * 1000) / steadyRate - clock());
    const pipeline = pipelines[index % pipelines.length]!;
    const [approval] = world.model.addExecution(pipeline);
    approvals.push(approval!);
    byToken.set(approval!.token, {
      approval: approval!,
      comment: world.options.pullRequests && index % 10 < 3,
    });
    void publish(world, tracker, [approval!]);
  }
  await waitUntil(
    world,
    () => approvals.every((approval) => tracker.shown.has(approval.token)),
    () => `decisions shown (${tracker.shown.size} of ${approvals.length})`,
    started,
  );
  await Promise.all(decisions);
  const wallMs = clock() - started;
  const byComment = approvals.filter((a) => byToken.get(a.token)?.comment).map((a) => a.token);
  const byButton = approvals.filter((a) => !byToken.get(a.token)?.comment).map((a) => a.token);
  const notices = world.options.pullRequests ? total : 0;
  await waitForCalls(world, {
    "issues.updateComment": notices,
    "issues.createComment": notices + byComment.length,
  });
  await settle(world);
  clearInterval(progress);
  world.progress(tracker.shown.size);
  const tokens = approvals.map((approval) => approval.token);
  const p = (values: number[]) => {
    const summary = percentiles(values);
    return summary ? `${summary.p50} / ${summary.p95} / ${summary.p99}` : "–";
  };
  return {
    description: scenarioDescriptions.steady,
    approvals: approvals.length,
    decisions: approvals.length,
    wallMs,
    intakeLatencies: tracker.latencies(tracker.visible, tracker.created, tokens),
    decisionLatencies: tracker.latencies(tracker.asked, tracker.decided, tokens),
    decisionShownLatencies: tracker.latencies(tracker.asked, tracker.shown, tokens),
    phases: [closePhase(world, "lifecycle", approvals.length, wallMs)],
    notes: {
      "pipelines (each run again and again)": pipelines.length,
      "approvals a second": steadyRate,
      "button: click → PutApprovalResult p50 / p95 / p99 (ms)": p(
        tracker.latencies(tracker.asked, tracker.decided, byButton),
      ),
      "comment: comment → PutApprovalResult p50 / p95 / p99 (ms)": p(
        tracker.latencies(tracker.asked, tracker.decided, byComment),
      ),
    },
  };
}

function interleavedPipelines(world: World): string[] {
  const lanes = new Map<number, string[]>();
  for (const pipeline of world.model.pipelines.values()) {
    const lane = lanes.get(pipeline.installationId) ?? [];
    lane.push(pipeline.name);
    lanes.set(pipeline.installationId, lane);
  }
  const longest = Math.max(...[...lanes.values()].map((lane) => lane.length));
  return Array.from({ length: longest }, (_, index) =>
    [...lanes.values()].flatMap((lane) => (lane[index] ? [lane[index]] : [])),
  ).flat();
}

/**
 * An outsider flood (issue 14): 150 accounts without read access comment `/approve` on one pull
 * request, then the one person allowed to decide does. Their refusals (the check run's audit
 * entry, the reply, the "seen" reaction) queue in the installation's write budget; the decision's
 * check-run update must go ahead of them (write-pacer.ts priorities and reserve).
 */
async function outsiders(world: World): Promise<Outcome> {
  const tracker = new Tracker(world);
  const approvals = [...world.model.approvals.values()];
  const intake = await intakeAll(world, tracker, approvals);
  const phases: Phase[] = [closePhase(world, "intake", 1, intake.wallMs)];
  const approval = approvals[0]!;
  const started = clock();
  const logins = Array.from({ length: outsiderCount }, (_, index) => `outsider-${index + 1}`);
  const flood = inPool(logins, outsiderCount, (login) => commentApproveAs(world, approval, login));
  // The flood is in the app's hands (its refusals queued for the write budget) before the
  // legitimate comment arrives.
  await waitForCalls(world, { "issues.createComment": 1 + 20 });
  await commentApprove(world, tracker, approval);
  await waitUntil(
    world,
    () => tracker.shown.has(approval.token),
    () => "the legitimate decision shown",
    started,
  );
  await flood;
  const wallMs = clock() - started;
  await settle(world);
  const token = approval.token;
  const shownMs = tracker.shown.get(token)! - tracker.asked.get(token)!;
  return {
    description: scenarioDescriptions.outsiders,
    approvals: 1,
    decisions: 1,
    wallMs,
    intakeLatencies: tracker.latencies(tracker.visible, tracker.created, [token]),
    decisionLatencies: tracker.latencies(tracker.asked, tracker.decided, [token]),
    decisionShownLatencies: tracker.latencies(tracker.asked, tracker.shown, [token]),
    phases: [...phases, closePhase(world, "flood and decision", outsiderCount + 1, wallMs)],
    notes: {
      "outsiders commenting /approve": outsiderCount,
      "legitimate /approve → check run shows the decision (ms)": Math.round(shownMs),
      "PutApprovalResult → check run shows the decision (ms)": Math.round(
        tracker.shown.get(token)! - tracker.decided.get(token)!,
      ),
      "legitimate /approve → PutApprovalResult (ms)": Math.round(
        tracker.decided.get(token)! - tracker.asked.get(token)!,
      ),
    },
  };
}
