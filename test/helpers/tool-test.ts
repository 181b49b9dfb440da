// What the per-tool test files (test/tools/<tool>.test.ts) share: one harness per describe,
// started in-process (no child process, so a file costs only its own start), and the check
// that bad input is an isError result naming what is accepted.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { type Harness, type HarnessOptions, startHarness, textOf } from "./harness.ts";

/** The clock of the tests that pin what the data says (the simulator's data ends here). */
export const PINNED_NOW = Date.UTC(2025, 5, 12, 10, 30);

/** A harness started before the enclosing describe's tests and closed after them. */
export function useHarness(options: HarnessOptions = {}): () => Harness {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness(options);
  });
  after(() => h?.close());
  return () => h!;
}

/** A harness on the pinned clock, with the drill-down tests' upstream time budget. */
export const usePinnedHarness = (): (() => Harness) => useHarness({ now: () => PINNED_NOW, timeoutMs: 30_000 });

/** One test per case: the call is an isError result whose text matches, with no stack trace. */
export function refusesBadInput(
  harness: () => Harness,
  tool: string,
  cases: [Record<string, unknown>, RegExp][],
): void {
  for (const [args, expected] of cases) {
    it(`${tool} ${JSON.stringify(args)} is an isError result naming what is accepted`, async () => {
      const result = await harness().call(tool, args);
      assert.equal(result.isError, true);
      assert.match(textOf(result), expected);
      assert.doesNotMatch(textOf(result), /\n\s+at /, "no stack trace");
    });
  }
}

export type { Harness };
export { textOf };

/** A call's structured answer (asserting it is not an error), and a call's error text (asserting it is one). */
export function answers(harness: () => Harness) {
  return {
    data: async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
      const result = await harness().call(name, args);
      assert.equal(result.isError, undefined, textOf(result));
      return result.structuredContent as T;
    },
    failure: async (name: string, args: Record<string, unknown>): Promise<string> => {
      const result = await harness().call(name, args);
      assert.equal(result.isError, true, `expected an error, got: ${textOf(result)}`);
      return textOf(result);
    },
  };
}
