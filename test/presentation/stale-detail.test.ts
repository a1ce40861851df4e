import { describe, expect, it } from "vitest";
import { staleDetail } from "../../src/presentation/stale-detail.js";

describe("why a decision could not be applied", () => {
  it("names a newer execution only when CodePipeline showed one", () => {
    expect(staleDetail({ kind: "superseded", byExecutionId: "77777777" })).toBe(
      "a newer pipeline execution superseded this approval",
    );
    expect(staleDetail({ kind: "superseded" })).toBe(
      "CodePipeline no longer waits for this approval",
    );
  });

  it("says who decided first and through which channel", () => {
    expect(
      staleDetail({
        kind: "decided",
        status: "Approved",
        deciders: ["alice"],
        channel: "buttons",
        at: "2026-11-28T12:00:00.000Z",
      }),
    ).toBe("already approved by @alice via check run button");
  });
});
