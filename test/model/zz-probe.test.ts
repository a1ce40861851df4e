import { it } from "vitest";
import { checkProtocol, timing } from "./check-protocol.js";
import { invariants } from "./check-invariants.js";

it("probe", async () => {
  const started = performance.now();
  const result = await checkProtocol({
    runs: Number(process.env.RUNS ?? 20),
    claimed: [],
    seed: 1,
  });
  console.log("runs", result.runs, "ms", performance.now() - started, [...result.seen], timing);
  void invariants;
}, 600_000);
