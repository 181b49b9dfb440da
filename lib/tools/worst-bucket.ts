// The one rule for "the worst bucket" of a histogram: the highest poor share among buckets
// with enough sessions to mean something. The tool's text and the chart view both use it.
// Pure and import-free, so the chart view's bundle can import it without the client.

/** Fewer sessions than this in a bucket make its poor share noise, not a signal. */
export const MIN_SESSIONS_FOR_WORST = 5;

export function worstBucket<B extends { sessions: number; poorPercent: number }>(buckets: readonly B[]): B | undefined {
  return buckets.reduce<B | undefined>(
    (worst, b) => (b.sessions >= MIN_SESSIONS_FOR_WORST && (!worst || b.poorPercent > worst.poorPercent) ? b : worst),
    undefined,
  );
}
