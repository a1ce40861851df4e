/**
 * Rations what answering an outsider costs. Anyone can comment `/approve` on a public repository;
 * each refusal written (the check run's audit entry, the reply, the "seen" reaction) spends the
 * installation's write budget, 80 a minute and 500 an hour, which real decisions need. So an
 * actor without read access gets `perHour` visible refusals per repository and hour; after that
 * their commands are logged and answered by nothing.
 *
 * In-process, by design: the bridge keeps no database. With N replicas an outsider gets at most
 * N × `perHour` visible refusals an hour (docs/design.md, "Outsiders").
 */
export interface RefusalBudget {
  /** Takes one visible refusal for `key` (repository and account); false when none is left. */
  take(key: string): boolean;
  /** Whether `key` has used up its refusals for now (spends nothing). */
  exhausted(key: string): boolean;
}

export interface RefusalBudgetOptions {
  perHour?: number;
  windowMs?: number;
  /** Keys remembered at most; the oldest are forgotten first (a flood of accounts stays bounded). */
  maxKeys?: number;
  now?: () => number;
}

export function createRefusalBudget({
  perHour = 1,
  windowMs = 3_600_000,
  maxKeys = 10_000,
  now = Date.now,
}: RefusalBudgetOptions = {}): RefusalBudget {
  const spent = new Map<string, number[]>();
  const recent = (key: string) => {
    const at = now();
    const times = (spent.get(key) ?? []).filter((time) => at - time < windowMs);
    if (times.length === 0) spent.delete(key);
    else spent.set(key, times);
    return times;
  };
  return {
    take(key) {
      const times = recent(key);
      if (times.length >= perHour) return false;
      spent.delete(key);
      spent.set(key, [...times, now()]);
      // A Map iterates in insertion order: the first key is the one refused longest ago.
      if (spent.size > maxKeys) spent.delete(spent.keys().next().value as string);
      return true;
    },
    exhausted(key) {
      return recent(key).length >= perHour;
    },
  };
}

/** The budget's key: one account on one repository. */
export function refusalKey(repo: { owner: string; repo: string }, actorId: number): string {
  return `${repo.owner}/${repo.repo}#${actorId}`.toLowerCase();
}
