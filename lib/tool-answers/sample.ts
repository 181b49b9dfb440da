// The minimum sample a "worst" line may name, so a weekend day with 15 sessions or a user
// with one bad call does not outrank a weekday with 131 or a user with 60; and the one
// ranking by it (worstFirst), which the breakdown, the location table, the endpoint tests,
// the histogram's worst bucket (its text and chart) and get_user_summary's worst user share.
// Pure and free of the client, so the chart view's bundle can import it.

export const MIN_SAMPLE_FLOOR = 5;

/** A quarter of the average non-empty group, and never fewer than 5 sessions. */
export function minSample(sizes: readonly number[]): number {
  const nonEmpty = sizes.filter((n) => n > 0);
  if (!nonEmpty.length) return MIN_SAMPLE_FLOOR;
  const mean = nonEmpty.reduce((a, b) => a + b, 0) / nonEmpty.length;
  return Math.max(MIN_SAMPLE_FLOOR, Math.ceil(mean / 4));
}

export interface WorstFirst<T> {
  /** Every item: those with a fair sample first, each part worst first, the biggest first among equally bad. */
  ranked: T[];
  /** The fewest a group needs to be ranked (size ≥ floor). */
  floor: number;
  /** The worst item with a fair sample; undefined when none reaches the floor. */
  worst: T | undefined;
  /** Items under the floor (listed after the ranked ones). */
  unranked: number;
}

/**
 * "Worst with a fair sample": items whose size reaches the floor (minSample of all sizes,
 * unless the caller sets one) come first, the highest `badness` first (a share as the answer
 * shows it, so rows that read the same are tied), and the biggest item breaks a tie; the
 * items under the floor follow, ordered the same way. Stable: a full tie keeps input order.
 */
export function worstFirst<T>(
  items: readonly T[],
  size: (item: T) => number,
  badness: (item: T) => number,
  floor = minSample(items.map(size)),
): WorstFirst<T> {
  const fair = (item: T) => size(item) >= floor;
  const ranked = [...items].sort(
    (a, b) => Number(fair(b)) - Number(fair(a)) || badness(b) - badness(a) || size(b) - size(a),
  );
  const unranked = ranked.filter((item) => !fair(item)).length;
  return { ranked, floor, worst: ranked[0] && fair(ranked[0]) ? ranked[0] : undefined, unranked };
}
