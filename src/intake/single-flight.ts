/**
 * Concurrent calls with one key share one piece of work: the first starts it, the others get its
 * result (or its failure), and the key is free again once it settled. SQS may hand one process the
 * same approval notification several times at once (one batch, or a redelivery while the first is
 * still being handled); they must publish one check run, not race each other's list-then-create.
 */
export interface SingleFlight {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createSingleFlight(): SingleFlight {
  const flights = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const running = flights.get(key);
      if (running) return running as Promise<T>;
      const started = work().finally(() => flights.delete(key));
      flights.set(key, started);
      return started;
    },
  };
}
