// "The worst bucket" of a histogram: the worst with a fair sample (sample.ts worstFirst), so
// a quiet weekend day cannot win on 15 calls. The tool's text and the chart view both use
// it. Pure and free of the client, so the chart view's bundle can import it.
import { worstFirst } from "./sample.ts";

export interface WorstBucket<B> {
  /** Undefined when no bucket reaches the floor. */
  worst: B | undefined;
  /** The fewest sessions a bucket needs to be named worst. */
  floor: number;
}

export function worstBucket<B extends { sessions: number; poorPercent: number }>(
  buckets: readonly B[],
): WorstBucket<B> {
  const { worst, floor } = worstFirst(
    buckets,
    (b) => b.sessions,
    (b) => b.poorPercent,
  );
  return { worst, floor };
}
