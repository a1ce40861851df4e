import { it } from "vitest";
import { checkProtocol } from "./check-protocol.js";
import { invariants, type InvariantName } from "./check-invariants.js";

it("probe2", async () => {
  const which = (process.env.INV ?? "").split(",").filter(Boolean) as InvariantName[];
  for (const inv of which.length ? which : (Object.keys(invariants) as InvariantName[])) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await checkProtocol({
      runs: Number(process.env.RUNS ?? 300),
      claimed: [inv],
      seed: Number(process.env.SEED ?? 7),
    });
    const used = process.cpuUsage(cpu);
    const d = result.details;
    console.log(
      `### ${inv}: failed=${d.failed} runs=${result.runs} seed=${d.seed} path=${d.counterexamplePath} ms=${Math.round(performance.now() - started)} cpu=${Math.round((used.user + used.system) / 1000)}`,
    );
    if (d.failed) {
      const [, required, commands] = d.counterexample!;
      console.log(`required=${required} commands=${String(commands)}`);
      console.log(String((d.errorInstance as Error).message).slice(0, 4000));
    }
  }
}, 1_200_000);
