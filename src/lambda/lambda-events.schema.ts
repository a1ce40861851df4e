import { z } from "zod";

/**
 * The parts of Lambda's HTTP events this app reads: API Gateway REST (payload 1.0), HTTP API
 * (payload 2.0) and function URLs share them. https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */
export const httpEventSchema = z.object({
  headers: z.record(z.string(), z.string().optional()).nullish(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().optional(),
});
export type HttpEvent = z.infer<typeof httpEventSchema>;

/** An SQS event source's batch. https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html */
export const sqsEventSchema = z.object({
  Records: z.array(
    z.object({
      messageId: z.string(),
      receiptHandle: z.string().optional(),
      body: z.string(),
      attributes: z.record(z.string(), z.string()).optional(),
    }),
  ),
});
export type SqsEvent = z.infer<typeof sqsEventSchema>;

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface SqsBatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}
