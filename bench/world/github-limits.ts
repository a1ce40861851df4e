/**
 * GitHub's rate limits for one installation, as documented, with the clock running `timeScale`
 * times faster. https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 *
 * - secondary: at most 80 content-creating requests in any minute and 500 in any hour; at most 100
 *   requests in flight at once;
 * - primary: 5,000 requests an hour (the floor for an installation).
 *
 * Windows slide (the strictest reading): a client pacing with fixed windows would be caught.
 */
export interface LimitVerdict {
  kind: "secondary" | "primary";
  /** Seconds of GitHub time until the window has room. */
  retryAfterSeconds: number;
  /** Primary limit only: when the window has room, epoch seconds of real time. */
  resetAt?: number;
}

const contentWindows = [
  { max: 80, windowMs: 60_000 },
  { max: 500, windowMs: 3_600_000 },
];
const primaryWindow = { max: 5000, windowMs: 3_600_000 };
const maxConcurrent = 100;

export class InstallationLimits {
  private readonly content: number[] = [];
  private readonly all: number[] = [];
  inFlight = 0;
  peakInFlight = 0;
  contentRequests = 0;
  /** The most content-creating requests seen in any one window of each kind. */
  readonly peakPerWindow = contentWindows.map(() => 0);

  constructor(private readonly timeScale: number) {}

  /** Admits a request arriving at `at`, or says which limit it broke. */
  admit(at: number, createsContent: boolean): LimitVerdict | undefined {
    if (this.inFlight + 1 > maxConcurrent) return { kind: "secondary", retryAfterSeconds: 60 };
    const primary = this.check(this.all, primaryWindow, at);
    if (primary !== undefined) {
      return {
        kind: "primary",
        retryAfterSeconds: primary,
        resetAt: Math.ceil((at + (primary * 1000) / this.timeScale) / 1000),
      };
    }
    if (createsContent) {
      for (const window of contentWindows) {
        const wait = this.check(this.content, window, at);
        if (wait !== undefined) return { kind: "secondary", retryAfterSeconds: wait };
      }
    }
    this.all.push(at);
    if (createsContent) {
      this.content.push(at);
      this.contentRequests += 1;
      contentWindows.forEach((window, index) => {
        const inWindow = this.countSince(this.content, at - window.windowMs / this.timeScale);
        this.peakPerWindow[index] = Math.max(this.peakPerWindow[index]!, inWindow);
      });
    }
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    return undefined;
  }

  done() {
    this.inFlight -= 1;
  }

  /** GitHub seconds until a request fits in `window`, or undefined when it fits now. */
  private check(log: number[], window: { max: number; windowMs: number }, at: number) {
    const span = window.windowMs / this.timeScale;
    const since = at - span;
    while (log.length > 0 && log[0]! <= at - primaryWindow.windowMs / this.timeScale) log.shift();
    const count = this.countSince(log, since);
    if (count < window.max) return undefined;
    // The request whose expiry brings the window below `max`.
    const oldest = log[log.length - window.max]!;
    return Math.max(1, Math.ceil(((oldest + span - at) * this.timeScale) / 1000));
  }

  private countSince(log: number[], since: number): number {
    let count = 0;
    for (let index = log.length - 1; index >= 0 && log[index]! > since; index -= 1) count += 1;
    return count;
  }
}

export const documentedLimits = {
  contentPerMinute: 80,
  contentPerHour: 500,
  maxConcurrent,
  primaryPerHour: primaryWindow.max,
};
