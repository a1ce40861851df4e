const levels = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/**
 * The logger Octokit writes through. Probot's request logging passes each request's body as the
 * fields of its debug line ("GitHub request: POST …/check-runs - 201"), so the body's keys landed
 * beside the line's own: a check run's `name` next to the logger's `name`, its `status` where an
 * operator looks for an HTTP status. Here a fields object is written under `body`.
 * https://github.com/probot/probot/blob/master/src/octokit/octokit-plugin-probot-request-logging.ts
 */
export function octokitRequestLog<T extends object>(log: T): T {
  return new Proxy(log, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function" || typeof property !== "string") return value;
      if (levels.has(property)) {
        return (first: unknown, ...rest: unknown[]) =>
          (value as (...args: unknown[]) => unknown).call(
            target,
            typeof first === "object" && first !== null && !(first instanceof Error)
              ? { body: first }
              : first,
            ...rest,
          );
      }
      if (property === "child") {
        return (...args: unknown[]) =>
          octokitRequestLog((value as (...a: unknown[]) => object).apply(target, args));
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
