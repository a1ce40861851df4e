import { getHeapSpaceStatistics } from "node:v8";

/** This process's resources over a scenario: CPU time, peak RSS and heap after collection. */
export interface ProcessMeasure {
  cpuMs: number;
  /** The kernel's high-water mark of this process's RSS (it runs one scenario only). */
  peakRssMb: number;
  /**
   * What the process held at the highest RSS the 50 ms sampler saw: the V8 heap (used and
   * reserved, and of the reserved the young generation's two semi-spaces) and buffers.
   */
  atPeak: { heapUsedMb: number; heapTotalMb: number; youngReservedMb: number; externalMb: number };
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
 * Measures this process from now until `stop()`. The heap after a forced GC (`node --expose-gc`)
 * is sampled at the start, at the end and, with `heapEveryMs`, in between, so growth per approval
 * can be told from garbage not yet collected. Forced collections free memory that the app would
 * otherwise hold until V8 collects on its own, so they lower the peak: only the steady scenario,
 * whose growth per lifecycle is the point, asks for them in between.
 */
export function measureProcess({
  heapEveryMs,
  lifecycles = () => 0,
}: {
  heapEveryMs?: number | undefined;
  lifecycles?: () => number;
} = {}) {
  const started = performance.now();
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
  sampleHeap();
  gcMs = 0;
  const cpu = process.cpuUsage();

  let sampledPeak = 0;
  let atPeak: ProcessMeasure["atPeak"] = {
    heapUsedMb: 0,
    heapTotalMb: 0,
    youngReservedMb: 0,
    externalMb: 0,
  };
  const rssTimer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= sampledPeak) return;
    sampledPeak = rss;
    const memory = process.memoryUsage();
    const young = getHeapSpaceStatistics()
      .filter((space) => space.space_name === "new_space")
      .reduce((sum, space) => sum + space.space_size, 0);
    atPeak = {
      heapUsedMb: mb(memory.heapUsed),
      heapTotalMb: mb(memory.heapTotal),
      youngReservedMb: mb(young),
      externalMb: mb(memory.external),
    };
  }, 50);
  const heapTimer = heapEveryMs === undefined ? undefined : setInterval(sampleHeap, heapEveryMs);

  return {
    stop(): ProcessMeasure {
      clearInterval(rssTimer);
      clearInterval(heapTimer);
      const used = process.cpuUsage(cpu);
      // Read before the last forced collection, which is the benchmark's, not the app's.
      const cpuMs = Math.max(0, Math.round((used.user + used.system) / 1000 - gcMs));
      sampleHeap();
      return {
        cpuMs,
        // ru_maxrss, in KB on Linux: exact, where the sampler can miss a peak between two samples.
        peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
        atPeak,
        heapSamples,
      };
    },
  };
}
