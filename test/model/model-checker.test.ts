import { describe, expect, it } from "vitest";
import { checkProtocol, type CheckOptions } from "./check-protocol.js";
import { defectScenarios } from "./defect-scenarios.js";
import { answerInConsole, click, deliverAll, settled } from "./model-commands.js";

/**
 * The checker earns trust by catching broken variants on purpose (issue 14, item 6), and by
 * replaying a seed exactly: a counterexample that cannot be replayed explains nothing.
 */
describe("the model checker", () => {
  it("catches a CodePipeline that accepts a second answer for a token", async () => {
    const result = await checkProtocol({
      runs: 40,
      seed: 1,
      claimed: ["one-accepted-answer-per-token"],
      variant: { acceptTwice: true },
      scenario: {
        requiredApprovals: 1,
        commands: [
          deliverAll(0),
          settled(),
          click(0, "alice", "Approved", 0),
          click(1, "carol", "Rejected", 0),
        ],
      },
    });
    expect(result.details.failed).toBe(true);
    expect(String(result.details.errorInstance)).toMatch(
      /one-accepted-answer-per-token: token …0001 accepted 2 answers/,
    );
  }, 120_000);

  it("finds nothing wrong with the same scenario when CodePipeline accepts one answer", async () => {
    const result = await checkProtocol({
      runs: 40,
      seed: 1,
      claimed: ["one-accepted-answer-per-token"],
      scenario: {
        requiredApprovals: 1,
        commands: [
          deliverAll(0),
          settled(),
          click(0, "alice", "Approved", 0),
          click(1, "carol", "Rejected", 0),
        ],
      },
    });
    expect(result.details.failed).toBe(false);
  }, 120_000);

  it("catches a bridge that publishes a notification without checking its token still waits", async () => {
    const result = await checkProtocol({
      runs: 20,
      seed: 1,
      claimed: ["check-run-agrees-with-codepipeline"],
      variant: { skipPendingCheck: true },
      scenario: {
        requiredApprovals: 1,
        commands: [answerInConsole("Approved"), deliverAll(0), settled(), deliverAll(0)],
      },
    });
    expect(result.details.failed).toBe(true);
    expect(String(result.details.errorInstance)).toMatch(
      /check-run-agrees-with-codepipeline: check run \d+ \(token …0001\) says "pending" with buttons but CodePipeline says Succeeded/,
    );
  }, 120_000);

  it("still catches the closed-meanwhile crash when the stale notification's recheck is undone, so its regression keeps its power", async () => {
    const scenario =
      defectScenarios[
        "a replica that dies after creating its check run for an approval that closed meanwhile leaves it pending"
      ];
    const result = await checkProtocol({
      runs: scenario.runs,
      seed: 14,
      claimed: scenario.invariants,
      variant: { skipStaleRecheck: true },
      scenario: { commands: scenario.commands(), requiredApprovals: scenario.requiredApprovals },
    });
    expect(result.details.failed).toBe(true);
    expect(String(result.details.errorInstance)).toMatch(/check-run-agrees-with-codepipeline/);
  }, 300_000);

  it("replays a seed exactly: the same steps in the same order", async () => {
    const traces = async () => {
      const seen: string[] = [];
      await checkProtocol({
        runs: 15,
        seed: 42,
        claimed: [],
        onRun: (world) => seen.push(world.trace.join("\n")),
      });
      return seen;
    };
    const first = await traces();
    expect(first.some((trace) => trace.includes("checks.create"))).toBe(true);
    expect(await traces()).toEqual(first);
  }, 120_000);
  it("replays a shrunk counterexample of the random search from its seed, path and replayPath", async () => {
    const options: CheckOptions = {
      runs: 300,
      seed: 5,
      claimed: ["one-accepted-answer-per-token"],
      variant: { acceptTwice: true },
    };
    const found = await checkProtocol(options);
    expect(found.details.failed).toBe(true);
    const commands = String(found.details.counterexample?.[2]);
    const replayPath = /replayPath="([^"]*)"/.exec(commands)?.[1];
    const path = found.details.counterexamplePath ?? "";
    // A path into fc.commands' shrinks needs its record of which commands ran.
    await expect(checkProtocol({ ...options, path })).rejects.toThrow(
      /Unable to replay, got wrong path/,
    );
    const again = await checkProtocol({ ...options, path, replayPath });
    expect(again.details.failed).toBe(true);
    expect(again.details.numRuns).toBe(1);
    expect(String(again.details.counterexample?.[2])).toBe(commands);
  }, 120_000);
});
