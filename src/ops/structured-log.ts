import type { Logger } from "probot";
import { errorFields } from "./error-fields.js";

const levels = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/**
 * The logger the decision and intake paths write through (docs/operations.md, "What the log lines
 * mean"). Two differences from the pino logger it wraps:
 *
 * - `child()` leaves out a binding its parent already has with the same value. pino writes every
 *   binding of every child, so a key bound twice on the way down (`commit` by the webhook and by the
 *   decision step) would appear twice in one JSON line, which log collectors reject or overwrite.
 * - an `err` field becomes `error: { name, message, status, code }`. pino's error serializer copies
 *   every enumerable property, so an Octokit RequestError carried its whole request and response
 *   (headers included) and an AWS SDK error its `$response`. Only an error without an HTTP status
 *   logged at `error` level, which is likely a bug, keeps its stack.
 */
export function structuredLog(log: Logger): Logger {
  return new Proxy(log, {
    get(target, property) {
      if (property === "child") {
        return (bindings: Record<string, unknown>, options?: object) =>
          structuredLog(target.child(newBindings(target, bindings), options));
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (typeof property === "string" && levels.has(property)) {
        return (first: unknown, ...rest: unknown[]) =>
          (value as (...args: unknown[]) => void).call(
            target,
            withErrorFields(first, property),
            ...rest,
          );
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
}

function newBindings(log: Logger, bindings: Record<string, unknown>): Record<string, unknown> {
  const bound = log.bindings();
  return Object.fromEntries(
    Object.entries(bindings).filter(([key, value]) => !(key in bound && bound[key] === value)),
  );
}

function withErrorFields(first: unknown, level: string): unknown {
  if (first instanceof Error) return { error: describe(first, level) };
  if (typeof first !== "object" || first === null || !("err" in first)) return first;
  const { err, ...rest } = first as { err: unknown };
  return { ...rest, error: describe(err, level) };
}

function describe(error: unknown, level: string) {
  const fields = errorFields(error);
  const cause =
    error instanceof Error && error.cause !== undefined ? errorFields(error.cause) : undefined;
  const stack =
    level === "error" || level === "fatal"
      ? fields.status === undefined && error instanceof Error
        ? error.stack
        : undefined
      : undefined;
  return { ...fields, ...(cause ? { cause } : {}), ...(stack ? { stack } : {}) };
}
