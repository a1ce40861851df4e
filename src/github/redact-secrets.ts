/**
 * Field names whose values are secrets in this app: the approval token travels in a check run's
 * `external_id`, in the console link (`details_url`, `approvalReviewLink`) and in the check run's
 * `output` (the "AWS console" link and the hidden record); installation tokens, JWTs and keys in
 * `token`, `authorization` and their kin. Compared case-insensitively.
 */
const secretFields = new Set([
  "external_id",
  "details_url",
  "output",
  "token",
  "approvalreviewlink",
  "authorization",
  "access_token",
  "refresh_token",
  "client_secret",
  "private_key",
  "privatekey",
  "password",
  "secret",
]);

export const redacted = "[redacted]";

/**
 * A copy of `value` with every secret field (at any depth) replaced by "[redacted]". Strings that
 * hold JSON, such as a request body, are redacted inside. Shapes other than plain objects, arrays
 * and JSON strings are returned as they are.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return redacted;
  if (typeof value === "string") return redactJsonText(value, depth);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = secretFields.has(key.toLowerCase()) ? redacted : redactSecrets(field, depth + 1);
  }
  return copy;
}

function redactJsonText(text: string, depth: number): string {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return text;
  try {
    return JSON.stringify(redactSecrets(JSON.parse(text), depth + 1));
  } catch {
    return text;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The logger methods that take a fields object first, as pino's do. */
const logMethods = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/**
 * The same logger, with every fields object redacted before it is written, and the same for each
 * child logger. A Proxy keeps everything else (level, bindings, flush) as the logger has it.
 */
export function redactingLogger<T extends object>(logger: T): T {
  return new Proxy(logger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function" || typeof property !== "string") return value;
      if (logMethods.has(property)) {
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => unknown).apply(
            target,
            args.map((arg) => redactSecrets(arg)),
          );
      }
      if (property === "child") {
        return (...args: unknown[]) =>
          redactingLogger((value as (...a: unknown[]) => object).apply(target, args));
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/**
 * Octokit's RequestError keeps a copy of the request it failed, body included, and an error is
 * logged whole (`{ err }`) wherever it is caught. Octokit already hides the authorization header
 * there; this hides the secrets of the body too, where the error is made.
 * https://github.com/octokit/request-error.js#usage
 */
export function redactRequestError(error: unknown): void {
  const request = (error as { request?: { body?: unknown } } | null)?.request;
  if (request && typeof request === "object" && "body" in request) {
    request.body = redactSecrets(request.body);
  }
}
