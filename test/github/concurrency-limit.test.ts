import { describe, expect, it } from "vitest";
import { createConcurrencyLimit } from "../../src/github/concurrency-limit.js";

describe("createConcurrencyLimit", () => {
  it("keeps at most `max` of one key in flight and starts the next as one is freed, in order", async () => {
    const limit = createConcurrencyLimit(2);
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const take = (name: string) =>
      limit.acquire("a").then((release) => {
        started.push(name);
        releases.set(name, release);
      });

    const all = ["one", "two", "three", "four"].map(take);
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(["one", "two"]);

    releases.get("two")!();
    await all[2];
    expect(started).toEqual(["one", "two", "three"]);
    releases.get("one")!();
    await all[3];
    expect(started).toEqual(["one", "two", "three", "four"]);
  });

  it("never makes one key wait for another's slots", async () => {
    const limit = createConcurrencyLimit(1);
    await limit.acquire("busy");
    const blocked = limit.acquire("busy");
    let other = false;
    await limit.acquire("other").then(() => (other = true));

    expect(other).toBe(true);
    let busy = false;
    void blocked.then(() => (busy = true));
    await Promise.resolve();
    expect(busy).toBe(false);
  });

  it("frees a slot once, however often its release is called", async () => {
    const limit = createConcurrencyLimit(1);
    const release = await limit.acquire("a");
    release();
    release();
    await limit.acquire("a");
    let third = false;
    void limit.acquire("a").then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
  });
});
