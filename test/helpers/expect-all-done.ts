import { expect } from "vitest";

/** Every intercepted call was made: naming the missing ones when not. */
export function expectAllDone(scopes: readonly { pendingMocks(): string[] }[]): void {
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
}
