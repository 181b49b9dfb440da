// The one rule for "the worst bucket" of a histogram: the highest poor share among buckets
// with a fair sample (minSample), so a quiet weekend day cannot win on 15 calls. The tool's
// text and the chart view both use it. Pure and free of the client, so the chart view's
// bundle can import it.
import { minSample } from "./sample.ts";

export interface WorstBucket<B> {
  /** Undefined when no bucket reaches the floor. */
  worst: B | undefined;
  /** The fewest sessions a bucket needs to be named worst. */
  floor: number;
}

export function worstBucket<B extends { sessions: number; poorPercent: number }>(buckets: readonly B[]): WorstBucket<B> {
  const floor = minSample(buckets.map((b) => b.sessions));
  const worst = buckets.reduce<B | undefined>(
    (w, b) => (b.sessions >= floor && (!w || b.poorPercent > w.poorPercent) ? b : w),
    undefined,
  );
  return { worst, floor };
}
