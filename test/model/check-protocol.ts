import fc from "fast-check";
import { vi } from "vitest";
import { checkInvariants, type InvariantName, type Violation } from "./check-invariants.js";
import { allCommands, type ModelCommand } from "./model-commands.js";
import { flush, startTime, stepMs, World, type WorldOptions } from "./model-world.js";

export interface CheckOptions {
  runs: number;
  seed?: number | undefined;
  path?: string | undefined;
  /**
   * The `replayPath` a failing run prints beside its commands: fc.commands shrinks only the
   * commands that ran, which it records while running, so a `path` into its shrinks replays only
   * with the record ("Unable to replay, got wrong path" without it).
   * https://fast-check.dev/docs/advanced/model-based-testing/
   */
  replayPath?: string | undefined;
  /** The invariants a run must keep; every other one is only counted. */
  claimed: readonly InvariantName[];
  variant?: WorldOptions["variant"];
  replicas?: number;
  maxCommands?: number;
  /** Stop at the first failure, without shrinking (to time the search, not to explain it). */
  endOnFailure?: boolean;
  /**
   * A fixed scenario instead of random commands: only the interleaving (and the replicas' choice
   * of work) varies from run to run. Regression tests pin each defect found this way, so they
   * keep meaning the same thing when the code under test changes its requests.
   */
  scenario?: { commands: ModelCommand[]; requiredApprovals: 1 | 2 } | undefined;
  /** Sees each run's world once it settled (and its invariants were checked). */
  onRun?: ((world: World) => void) | undefined;
}

export interface CheckResult {
  details: fc.RunDetails<[fc.Scheduler, 1 | 2, Iterable<ModelCommand>]>;
  /** How often each invariant failed over all runs, claimed or not. */
  seen: Map<InvariantName, number>;
  runs: number;
}

export const timing = { create: 0, run: 0, steps: 0 };

/**
 * The model checker: `runs` random interleavings of the commands in model-commands.ts over two
 * (or three) replicas, each request a scheduled step, the invariants checked once all settled.
 * Date is faked and moves `stepMs` per step, so a seed replays the same run exactly.
 */
export async function checkProtocol(options: CheckOptions): Promise<CheckResult> {
  const seen = new Map<InvariantName, number>();
  let runs = 0;
  vi.useFakeTimers({ toFake: ["Date"], now: startTime });
  const advanceClock = (ms: number) => vi.setSystemTime(Date.now() + ms);
  const act = async (step: () => Promise<unknown>) => {
    await flush();
    advanceClock(stepMs);
    await step();
  };
  try {
    const property = fc.asyncProperty(
      fc.scheduler({ act }),
      options.scenario
        ? fc.constant(options.scenario.requiredApprovals)
        : fc.constantFrom<1 | 2>(1, 2),
      options.scenario
        ? fc.constant(options.scenario.commands)
        : fc.commands(allCommands, {
            maxCommands: options.maxCommands ?? 10,
            ...(options.replayPath !== undefined ? { replayPath: options.replayPath } : {}),
          }),
      async (scheduler, requiredApprovals, commands) => {
        runs += 1;
        vi.setSystemTime(startTime);
        const t0 = performance.now();
        const world = await World.create({
          scheduler,
          replicas: options.replicas ?? 2,
          spares: 2,
          requiredApprovals,
          advanceClock,
          variant: options.variant,
        });
        const t1 = performance.now();
        await fc.scheduledModelRun(scheduler, () => ({ model: {}, real: world }), commands);
        await settle(world, scheduler);
        timing.create += t1 - t0;
        timing.run += performance.now() - t1;
        timing.steps += world.trace.length;
        const violations = checkInvariants(world);
        options.onRun?.(world);
        for (const invariant of new Set(violations.map((v) => v.invariant))) {
          seen.set(invariant, (seen.get(invariant) ?? 0) + 1);
        }
        const broken = violations.filter((v) => options.claimed.includes(v.invariant));
        if (broken.length > 0) throw new Error(describeFailure(broken, world));
      },
    );
    const details = await fc.check(property, {
      numRuns: options.runs,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.endOnFailure ? { endOnFailure: true } : {}),
    });
    return { details, seen, runs };
  } finally {
    vi.useRealTimers();
  }
}

/** Runs what is left: faults off, every message still on the queue delivered until none is. */
async function settle(world: World, scheduler: fc.Scheduler) {
  world.disarmFaults();
  await drain(scheduler);
  for (let round = 0; round < 6; round++) {
    const waiting = world.pendingMessages(true);
    if (waiting.length === 0) return;
    for (const message of waiting) world.deliverMessage(world.replicas[0]!, message);
    await drain(scheduler);
  }
}

async function drain(scheduler: fc.Scheduler) {
  for (;;) {
    await flush();
    if (scheduler.count() === 0) return;
    await scheduler.waitOne();
  }
}

function describeFailure(violations: Violation[], world: World): string {
  return [
    ...violations.map((v) => `${v.invariant}: ${v.detail}`),
    "trace:",
    ...world.trace.map((line) => `  ${line}`),
  ].join("\n");
}
