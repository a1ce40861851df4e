import { describe, expect, it } from "vitest";
import { retryTransient, RetryGaveUpError } from "../../src/intake/retry-transient.js";
import { createTestLog } from "../helpers/probot.js";

/** Shaped like Octokit's RequestError: an HTTP status and the request it answered. */
function githubError(status: number, headers: Record<string, string> = {}, message = "boom") {
  return Object.assign(new Error(message), { status, request: {}, response: { headers } });
}

function failing(errors: Error[]) {
  let calls = 0;
  const work = async () => {
    const error = errors[calls];
    calls += 1;
    if (error) throw error;
    return "done";
  };
  return { work, calls: () => calls };
}

describe("retryTransient", () => {
  it("backs off exponentially between transient failures and returns the work's result", async () => {
    const waits: number[] = [];
    const { work, calls } = failing([githubError(502), githubError(503)]);
    const result = await retryTransient(work, {
      log: createTestLog().log,
      baseDelayMs: 100,
      random: () => 1,
      sleep: async (ms) => waits.push(ms),
    });
    expect(result).toBe("done");
    expect(calls()).toBe(3);
    expect(waits).toEqual([100, 200]);
  });

  it("waits at least GitHub's retry-after", async () => {
    const waits: number[] = [];
    const { work } = failing([githubError(403, { "retry-after": "2" }, "secondary rate limit")]);
    await retryTransient(work, {
      log: createTestLog().log,
      baseDelayMs: 100,
      sleep: async (ms) => waits.push(ms),
    });
    expect(waits).toEqual([2000]);
  });

  it("gives up after the bounded number of attempts, keeping the last failure", async () => {
    const { work, calls } = failing([githubError(500), githubError(500), githubError(500)]);
    const error = await retryTransient(work, {
      log: createTestLog().log,
      attempts: 3,
      sleep: async () => {},
    }).catch((caught: unknown) => caught);
    expect(calls()).toBe(3);
    expect(error).toBeInstanceOf(RetryGaveUpError);
    expect(error).toMatchObject({
      attempts: 3,
      failure: { kind: "transient", why: "GitHub 500" },
      cause: { status: 500 },
    });
  });

  it("does not repeat a permanent failure", async () => {
    const { work, calls } = failing([githubError(422)]);
    const error = await retryTransient(work, { log: createTestLog().log }).catch(
      (caught: unknown) => caught,
    );
    expect(calls()).toBe(1);
    expect(error).toMatchObject({ attempts: 1, failure: { kind: "permanent" } });
  });

  it("leaves a wait longer than maxDelayMs to the queue's redelivery", async () => {
    const waits: number[] = [];
    const { work, calls } = failing([githubError(429, { "retry-after": "3600" })]);
    const error = await retryTransient(work, {
      log: createTestLog().log,
      maxDelayMs: 30_000,
      sleep: async (ms) => waits.push(ms),
    }).catch((caught: unknown) => caught);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
    expect(error).toMatchObject({ failure: { kind: "transient", retryAfterMs: 3_600_000 } });
  });
});
