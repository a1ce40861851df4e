import { errorFields, type ErrorFields } from "../ops/error-fields.js";

/**
 * What an operator should check when ReceiveMessage keeps failing, by the error's name or code:
 * one line instead of an SDK stack per poll. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
export function explainReceiveFailure(error: unknown): { error: ErrorFields; hint: string } {
  const fields = errorFields(error);
  const key = `${fields.name} ${fields.code ?? ""} ${fields.message}`;
  const hint = /QueueDoesNotExist|NonExistentQueue/.test(key)
    ? "no such queue: compare SQS_QUEUE_URL and AWS_REGION with the stack's QueueUrl and Region outputs"
    : /AccessDenied|NotAuthorized|AuthorizationError/.test(key)
      ? "the bridge's AWS identity may not receive from this queue: give it the stack's BridgePolicy (or run with BridgeRoleArn)"
      : /CredentialsProviderError|Could not load credentials/.test(key)
        ? "no AWS credentials: set AWS_PROFILE (after aws sso login) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with the stack's BridgeRoleArn"
        : /InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|ExpiredToken|InvalidSignature/.test(
              key,
            )
          ? "the AWS credentials are invalid or expired: refresh them (aws sso login) and restart"
          : /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|fetch failed/.test(
                key,
              )
            ? "the queue's endpoint cannot be reached: check the network, AWS_REGION and AWS_ENDPOINT_URL_SQS"
            : "the consumer retries every 10 s; the error says what SQS refused";
  return { error: fields, hint };
}
