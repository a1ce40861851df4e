import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createWritePacer, githubWriteLimits } from "../../src/github/write-pacer.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `count` writes for `key` that each take `durationMs`; records when each started. */
function startWrites(
  pacer: ReturnType<typeof createWritePacer>,
  key: string,
  count: number,
  durationMs = 0,
) {
  const started: number[] = [];
  const done = Array.from({ length: count }, async () => {
    const release = await pacer.acquire(key);
    started.push(Date.now());
    if (durationMs > 0) await new Promise((resolve) => setTimeout(resolve, durationMs));
    release();
  });
  return { started, done: Promise.all(done) };
}

describe("createWritePacer", () => {
  it("documents GitHub's budgets: 80 a minute and 500 an hour", () => {
    expect(githubWriteLimits).toEqual([
      { max: 80, windowMs: 60_000 },
      { max: 500, windowMs: 3_600_000 },
    ]);
  });

  it("lets a window's budget go at once, then holds the next write until the oldest has left the window", async () => {
    const pacer = createWritePacer({ limits: [{ max: 3, windowMs: 1000 }], maxConcurrent: 10 });
    const { started, done } = startWrites(pacer, "a", 4, 10);

    await vi.advanceTimersByTimeAsync(999);
    expect(started).toEqual([0, 0, 0]);
    expect(pacer.waiting("a")).toBe(1);
    // The first three completed at 10 ms: the fourth may start a full window later.
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(started).toEqual([0, 0, 0, 1010]);
  });

  it("counts a write in flight against the budget, however long it takes", async () => {
    const pacer = createWritePacer({ limits: [{ max: 2, windowMs: 100 }], maxConcurrent: 10 });
    const { started, done } = startWrites(pacer, "a", 3, 5000);

    await vi.advanceTimersByTimeAsync(5000);
    expect(started).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toEqual([0, 0, 5100]);
    await vi.advanceTimersByTimeAsync(5000);
    await done;
  });

  it("keeps to the longer window once the shorter one has room again", async () => {
    const pacer = createWritePacer({
      limits: [
        { max: 2, windowMs: 1000 },
        { max: 3, windowMs: 60_000 },
      ],
      maxConcurrent: 10,
    });
    const { started, done } = startWrites(pacer, "a", 4);

    await vi.advanceTimersByTimeAsync(59_999);
    expect(started).toEqual([0, 0, 1000]);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(started).toEqual([0, 0, 1000, 60_000]);
  });

  it("runs one installation's writes one at a time by default", async () => {
    const pacer = createWritePacer();
    const { started, done } = startWrites(pacer, "a", 3, 20);

    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(started).toEqual([0, 20, 40]);
  });

  it("never makes one installation wait for another's spent budget", async () => {
    const pacer = createWritePacer({ limits: [{ max: 1, windowMs: 60_000 }] });
    const busy = startWrites(pacer, "busy", 3);
    await vi.advanceTimersByTimeAsync(0);
    const quiet = startWrites(pacer, "quiet", 1);

    await vi.advanceTimersByTimeAsync(0);
    await quiet.done;
    expect(quiet.started).toEqual([0]);
    expect(busy.started).toEqual([0]);
    expect(pacer.waiting("busy")).toBe(2);
    await vi.advanceTimersByTimeAsync(120_000);
    await busy.done;
    expect(busy.started).toEqual([0, 60_000, 120_000]);
  });

  it("serves one installation's waiting writes first come, first served", async () => {
    const pacer = createWritePacer({ limits: [{ max: 1, windowMs: 100 }] });
    const order: string[] = [];
    const done = ["first", "second", "third"].map(async (name) => {
      const release = await pacer.acquire("a");
      order.push(name);
      release();
    });

    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(done);
    expect(order).toEqual(["first", "second", "third"]);
  });

  it("ignores a second release of the same write", async () => {
    const pacer = createWritePacer({ limits: [{ max: 1, windowMs: 100 }], maxConcurrent: 2 });
    const release = await pacer.acquire("a");
    release();
    release();
    const { started, done } = startWrites(pacer, "a", 1);

    await vi.advanceTimersByTimeAsync(99);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(started).toEqual([100]);
  });

  it("starts a waiting decision write before normal writes that queued earlier", async () => {
    const pacer = createWritePacer({ limits: [{ max: 100, windowMs: 60_000 }] });
    const order: string[] = [];
    const write = async (name: string, priority: "decision" | "normal") => {
      const release = await pacer.acquire("a", priority);
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 10));
      release();
    };

    const all = Promise.all([
      write("reply-1", "normal"),
      write("reply-2", "normal"),
      write("reply-3", "normal"),
      write("decision", "decision"),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    await all;

    // reply-1 was already in flight (one write at a time); the decision goes next.
    expect(order).toEqual(["reply-1", "decision", "reply-2", "reply-3"]);
  });

  it("keeps a reserve of each window that only decision writes may use", async () => {
    const pacer = createWritePacer({
      limits: [{ max: 8, windowMs: 60_000 }],
      maxConcurrent: 10,
      decisionReserve: 1 / 8,
    });
    const normal = startWrites(pacer, "a", 10);
    await vi.advanceTimersByTimeAsync(0);
    // 7 of 8: the eighth is kept for a decision.
    expect(normal.started).toHaveLength(7);

    const decision = pacer.acquire("a", "decision");
    await vi.advanceTimersByTimeAsync(0);
    const release = await decision;
    expect(Date.now()).toBe(0);
    release();

    await vi.advanceTimersByTimeAsync(60_000);
    await normal.done;
    expect(normal.started.slice(7)).toEqual([60_000, 60_000, 60_000]);
  });
});
