import { readFileSync } from "node:fs";
import { availableParallelism, cpus, platform, release, totalmem } from "node:os";

/** What the figures were measured on: they mean little without it. */
export function describeMachine() {
  return {
    cpuModel: cpuModel(),
    nproc: availableParallelism(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

export type Machine = ReturnType<typeof describeMachine>;

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((candidate) => candidate.startsWith("model name"));
    if (line) return line.split(":")[1]!.trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? "unknown";
}
