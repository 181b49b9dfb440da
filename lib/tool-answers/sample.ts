// The minimum sample a "worst" line may name, so a weekend day with 15 sessions or a user
// with one bad call does not outrank a weekday with 131 or a user with 60.

export const MIN_SAMPLE_FLOOR = 5;

/** A quarter of the average non-empty group, and never fewer than 5 sessions. */
export function minSample(sizes: readonly number[]): number {
  const nonEmpty = sizes.filter((n) => n > 0);
  if (!nonEmpty.length) return MIN_SAMPLE_FLOOR;
  const mean = nonEmpty.reduce((a, b) => a + b, 0) / nonEmpty.length;
  return Math.max(MIN_SAMPLE_FLOOR, Math.ceil(mean / 4));
}
