/**
 * What a log line needs from an error: its name, HTTP status, AWS or Node code and message. Not the
 * error object itself: pino would serialize an Octokit RequestError's whole request and response
 * (headers, body) and an AWS SDK error's $response, a screenful per line.
 */
export interface ErrorFields {
  name: string;
  message: string;
  status?: number;
  code?: string;
}

export function errorFields(error: unknown): ErrorFields {
  if (typeof error !== "object" || error === null) {
    return { name: typeof error, message: String(error) };
  }
  const { name, message, status, code, $metadata } = error as {
    name?: unknown;
    message?: unknown;
    status?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const fields: ErrorFields = {
    name: typeof name === "string" ? name : (error.constructor?.name ?? "Object"),
    message: typeof message === "string" ? message : String(error),
  };
  const httpStatus = typeof status === "number" ? status : $metadata?.httpStatusCode;
  if (typeof httpStatus === "number") fields.status = httpStatus;
  if (typeof code === "string") fields.code = code;
  else if (typeof code === "number" && fields.status === undefined) fields.status = code;
  return fields;
}
