import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * A what-if for the fairness scenario (`--consumer continuous`), not the app's consumer: it keeps
 * receiving while messages are in hand (up to `maxInHand`) instead of waiting for a whole batch,
 * so a message whose installation has spent its GitHub budget does not hold up the messages
 * behind it. No heartbeat: the benchmark's waits stay far below the visibility timeout.
 */
export function startContinuousConsumer({
  sqs,
  queueUrl,
  handle,
  maxInHand = 1000,
  waitTimeSeconds = 1,
}: {
  sqs: SQSClient;
  queueUrl: string;
  handle: (message: Message) => Promise<void>;
  maxInHand?: number;
  waitTimeSeconds?: number;
}) {
  let running = true;
  let inHand = 0;
  let freed: (() => void) | undefined;
  const abort = new AbortController();

  const work = async (message: Message) => {
    try {
      await handle(message);
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    } catch {
      // Left on the queue, as the app's consumer does; it comes back after the visibility timeout.
    } finally {
      inHand -= 1;
      freed?.();
    }
  };

  const loop = (async () => {
    while (running) {
      if (inHand >= maxInHand) {
        await new Promise<void>((resolve) => (freed = resolve));
        continue;
      }
      const out = await sqs
        .send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(10, maxInHand - inHand),
            WaitTimeSeconds: waitTimeSeconds,
          }),
          { abortSignal: abort.signal },
        )
        .catch(() => ({ Messages: [] }));
      for (const message of out.Messages ?? []) {
        inHand += 1;
        void work(message);
      }
    }
  })();

  return {
    async stop() {
      running = false;
      abort.abort();
      freed?.();
      await loop;
    },
  };
}
