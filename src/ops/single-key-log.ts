import type { Logger } from "probot";

/**
 * A logger whose every line binds each key once. pino appends a child's bindings to its parent's
 * as text, so Probot's loggers (`name: "probot"`, then `"octokit"`, then `"github"` on each
 * request line) wrote `name` three times in one JSON line; JSON.parse keeps only the last, and
 * stricter collectors reject the line. Here each child is built from the root with its ancestors'
 * bindings merged, the nearest winning: one `name`, the most specific.
 * https://github.com/pinojs/pino/blob/main/docs/child-loggers.md#duplicate-keys-caveat
 *
 * The root itself must bind nothing a child binds (create-root-log.ts builds it without `name`).
 */
export function singleKeyLog(root: Logger): Logger {
  return withBindings(root, root, {});
}

function withBindings(root: Logger, current: Logger, bound: Record<string, unknown>): Logger {
  return new Proxy(current, {
    get(target, property) {
      if (property === "child") {
        return (bindings: Record<string, unknown>, options?: object) => {
          const merged = { ...bound, ...bindings };
          // A level set on this logger after it was made is inherited, as pino's children do.
          const childOptions =
            options ?? (target.level === root.level ? undefined : { level: target.level });
          return withBindings(root, root.child(merged, childOptions), merged);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function"
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
}
