import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";

/**
 * A real SQS protocol server on 127.0.0.1 (the npm package local-aws-sqs), so visibility timeouts,
 * deletes and redelivery are SQS's own behaviour, not a mock's.
 */
export async function startLocalSqs() {
  const server: Server = await createSqsServer({ port: 0, hostname: "127.0.0.1" });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const sqs = new SQSClient({ region: "us-east-1", endpoint, maxAttempts: 1 });
  let queues = 0;
  return {
    sqs,
    endpoint,
    /** Queue names are unique: the server waits 60 s before re-creating a deleted name. */
    async createQueue(attributes: Record<string, string> = {}) {
      const name = `approvals-${process.pid}-${Date.now()}-${(queues += 1)}`;
      const out = await sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
      );
      return out.QueueUrl!;
    },
    async send(queueUrl: string, body: string) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
    async count(queueUrl: string) {
      const out = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return {
        visible: Number(out.Attributes?.ApproximateNumberOfMessages),
        inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
      };
    },
    /** Every message receivable now (the emulator's counters can lag after single deletes). */
    async receive(queueUrl: string) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      return out.Messages ?? [];
    },
    async stop() {
      sqs.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
