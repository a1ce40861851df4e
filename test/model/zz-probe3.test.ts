import { it } from "vitest";
import { checkProtocol } from "./check-protocol.js";
import { defectScenarios } from "./defect-scenarios.js";

it("probe3", async () => {
  const only = process.env.ONLY;
  for (const [name, s] of Object.entries(defectScenarios)) {
    if (only && !name.includes(only)) continue;
    const started = performance.now();
    const result = await checkProtocol({
      runs: Number(process.env.RUNS ?? 100),
      claimed: s.invariants,
      scenario: { commands: s.commands(), requiredApprovals: s.requiredApprovals },
      seed: 3,
      onRun: (w) => {
        if (process.env.TRACE) console.log(w.trace.join("\n"));
      },
    });
    const d = result.details;
    console.log(
      `### ${name}: failed=${d.failed} runs=${result.runs} path=${d.counterexamplePath} ms=${Math.round(performance.now() - started)} seen=${JSON.stringify([...result.seen])}`,
    );
    if (d.failed)
      console.log(
        String((d.errorInstance as Error).message)
          .split("\n")
          .slice(0, 3)
          .join("\n"),
      );
  }
}, 1_200_000);
