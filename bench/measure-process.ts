import { getHeapSpaceStatistics } from "node:v8";

/** This process's resources over a scenario: CPU time, peak RSS and heap after collection. */
export interface ProcessMeasure {
  cpuMs: number;
  peakRssMb: number;
  /** What the process held when RSS peaked: the V8 heap (used and reserved) and buffers. */
  atPeak: { heapUsedMb: number; heapTotalMb: number; externalMb: number };
  /** Heap in use after a full GC, sampled during the scenario, with the work done by then. */
  heapSamples: {
    atMs: number;
    heapUsedMb: number;
    /** Of which compiled code: it grows while V8 optimizes, then stops. */
    codeMb: number;
    rssMb: number;
    lifecycles: number;
  }[];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Samples RSS every 50 ms (for the peak) and, every `heapEveryMs`, the heap after a forced GC
 * (`node --expose-gc`), so growth per approval can be told from garbage not yet collected.
 */
export function measureProcess({
  heapEveryMs = 2000,
  lifecycles = () => 0,
}: {
  heapEveryMs?: number;
  lifecycles?: () => number;
} = {}) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let peakRss = process.memoryUsage.rss();
  const heapSamples: ProcessMeasure["heapSamples"] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  // The forced collections are the benchmark's doing, not the app's: their time is taken out.
  let gcMs = 0;

  const sampleHeap = () => {
    const before = performance.now();
    gc?.();
    gcMs += performance.now() - before;
    const memory = process.memoryUsage();
    const code = getHeapSpaceStatistics()
      .filter((space) => space.space_name.startsWith("code"))
      .reduce((sum, space) => sum + space.space_used_size, 0);
    heapSamples.push({
      atMs: Math.round(performance.now() - started),
      heapUsedMb: mb(memory.heapUsed),
      codeMb: mb(code),
      rssMb: mb(memory.rss),
      lifecycles: lifecycles(),
    });
  };
  let atPeak = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0 };
  const rssTimer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= peakRss) return;
    peakRss = rss;
    const memory = process.memoryUsage();
    atPeak = {
      heapUsedMb: mb(memory.heapUsed),
      heapTotalMb: mb(memory.heapTotal),
      externalMb: mb(memory.external),
    };
  }, 50);
  const heapTimer = setInterval(sampleHeap, heapEveryMs);
  sampleHeap();

  return {
    stop(): ProcessMeasure {
      clearInterval(rssTimer);
      clearInterval(heapTimer);
      sampleHeap();
      const used = process.cpuUsage(cpu);
      return {
        cpuMs: Math.max(0, Math.round((used.user + used.system) / 1000 - gcMs)),
        peakRssMb: mb(peakRss),
        atPeak,
        heapSamples,
      };
    },
  };
}
