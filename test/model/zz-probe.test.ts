import { it } from "vitest";
import { Session } from "node:inspector/promises";
import { checkProtocol, timing } from "./check-protocol.js";

it("probe", async () => {
  const session = new Session();
  session.connect();
  await checkProtocol({ runs: 10, claimed: [], seed: 2 });
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  const started = performance.now();
  const result = await checkProtocol({
    runs: Number(process.env.RUNS ?? 20),
    claimed: [],
    seed: 1,
  });
  const { profile } = await session.post("Profiler.stop");
  console.log("runs", result.runs, "ms", performance.now() - started, [...result.seen], timing);
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map<number, number>();
  profile.samples!.forEach((id, i) =>
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)),
  );
  for (const [id, t] of dt) {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("node_modules/").pop()?.slice(0, 60)}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + t);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
  for (const [k, t] of top) console.log((t / 1000).toFixed(0).padStart(6), k);
  // Inclusive by package
  const pkg = new Map<string, number>();
  for (const [id, t] of dt) {
    const url = byId.get(id)!.callFrame.url;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const k = m
      ? m[1]!
      : url.includes("/src/")
        ? "src"
        : url.includes("/test/")
          ? "test"
          : url || "(native)";
    pkg.set(k, (pkg.get(k) ?? 0) + t);
  }
  for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log("PKG", (t / 1000).toFixed(0).padStart(6), k);
}, 600_000);
