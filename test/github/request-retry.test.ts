import { describe, expect, it } from "vitest";
import { decideRetry } from "../../src/github/request-retry.js";

/** The shape of Octokit's RequestError, as far as the retry decision reads it. */
function githubError(status: number, message: string, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), { status, response: { headers } });
}

const now = Date.parse("2026-11-28T12:00:00Z");

describe("decideRetry", () => {
  it("waits GitHub's retry-after on a secondary rate limit", () => {
    const error = githubError(403, "You have exceeded a secondary rate limit", {
      "retry-after": "30",
    });
    expect(decideRetry(error, { attempt: 0, now })).toEqual({
      kind: "rate-limit",
      limit: "secondary",
      retryAfterSeconds: 30,
      waitMs: 30_000,
    });
  });

  it("waits at least a minute on a secondary rate limit without retry-after", () => {
    const error = githubError(403, "You have exceeded a secondary rate limit");
    expect(decideRetry(error, { attempt: 0, now })).toMatchObject({
      limit: "secondary",
      waitMs: 60_000,
    });
  });

  it("waits until the reset, plus a second, when the primary limit is spent", () => {
    const error = githubError(403, "API rate limit exceeded for installation ID 1.", {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(now / 1000 + 120),
    });
    expect(decideRetry(error, { attempt: 0, now })).toEqual({
      kind: "rate-limit",
      limit: "primary",
      retryAfterSeconds: 121,
      waitMs: 121_000,
    });
  });

  it("treats a 429 as a rate limit", () => {
    expect(decideRetry(githubError(429, "Too Many Requests"), { attempt: 0, now })).toMatchObject({
      kind: "rate-limit",
    });
  });

  it("shortens GitHub's durations by the time scale, but not a reset, which is a point in time", () => {
    const secondary = githubError(403, "secondary rate limit", { "retry-after": "60" });
    const primary = githubError(403, "API rate limit exceeded", {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(now / 1000 + 9),
    });
    expect(decideRetry(secondary, { attempt: 0, now, timeScale: 60 })).toMatchObject({
      waitMs: 1000,
    });
    expect(decideRetry(primary, { attempt: 0, now, timeScale: 60 })).toMatchObject({
      waitMs: 10_000,
    });
  });

  it("does not repeat a 403 that refuses access", () => {
    const error = githubError(403, "Resource not accessible by integration");
    expect(decideRetry(error, { attempt: 0, now })).toEqual({ kind: "fail" });
  });

  it.each([400, 401, 404, 410, 422, 451])("does not repeat a %i", (status) => {
    expect(decideRetry(githubError(status, "no"), { attempt: 0, now })).toEqual({ kind: "fail" });
  });

  it("repeats a 5xx (or a request that got no answer) after 1, 4 and 9 seconds", () => {
    const error = githubError(502, "Bad Gateway");
    expect([0, 1, 2].map((attempt) => decideRetry(error, { attempt, now }))).toEqual([
      { kind: "transient", waitMs: 1000 },
      { kind: "transient", waitMs: 4000 },
      { kind: "transient", waitMs: 9000 },
    ]);
  });

  it("does not repeat a 304 Not Modified: Octokit throws it, but it is GitHub's answer", () => {
    expect(decideRetry(githubError(304, "Not modified"), { attempt: 0, now })).toEqual({
      kind: "fail",
    });
  });

  it("does not repeat an error that is not GitHub's", () => {
    expect(decideRetry(new Error("bug"), { attempt: 0, now })).toEqual({ kind: "fail" });
  });
});
