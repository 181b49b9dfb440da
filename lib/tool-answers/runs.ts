// The one rule for "when was a group bad": in a series of buckets, the run of buckets whose
// poor share stands well above the group's usual share. The histogram's `by` and
// find_quality_changes both use it, so both name the same start and end. Pure.

export interface Point {
  sessions: number;
  poor: number;
}

export interface Run {
  /** Index of the first and last bad bucket (inclusive). */
  first: number;
  last: number;
  sessions: number;
  poor: number;
  /** Poor calls above what the usual share would give. */
  excess: number;
}

/** A bucket needs this many sessions to count as bad (quieter buckets inside a run neither break nor extend it). */
export const MIN_BUCKET_SESSIONS = 3;
/** Quiet buckets a run may span. */
export const MAX_QUIET = 2;
/** A bucket is bad at a poor share of at least twice the usual and at least this many points above it. */
export const RUN_MIN_POINTS = 30;
/** ...and at least this many poor calls (one poor call of three is chance, not an incident). */
export const MIN_BUCKET_POOR = 2;

/** The usual poor share (0–1): pooled over the best third of the buckets with a fair sample, so neither a spike nor a step (up to two thirds of the window) raises it. */
export function usualShare(points: readonly Point[]): number {
  const fair = points
    .filter((p) => p.sessions >= MIN_BUCKET_SESSIONS)
    .sort((a, b) => a.poor / a.sessions - b.poor / b.sessions);
  const half = fair.slice(0, Math.max(1, Math.ceil(fair.length / 3)));
  const sessions = half.reduce((n, p) => n + p.sessions, 0);
  return sessions ? half.reduce((n, p) => n + p.poor, 0) / sessions : 0;
}

/**
 * The usual poor share (0–1) of a week-long series of a thin group: the lowest pooled share of
 * the series' three thirds (by time), so neither a spike (one third) nor a step to the window's
 * end (up to two thirds) raises it. Pooled over a third, not per bucket: the best buckets of a
 * trunk with 3–12 calls an hour are all zero, and a usual share of 0 made its ordinary hours
 * (15–20% poor) "bad" next to an incident. A short window (a day: an incident spans two thirds)
 * or a daily series (a step's first day falls in the first third) needs usualShare.
 */
export function lowestThirdShare(points: readonly Point[]): number {
  const size = Math.ceil(points.length / 3);
  const shares = [0, 1, 2]
    .map((i) =>
      points
        .slice(i * size, (i + 1) * size)
        .reduce((t, p) => ({ sessions: t.sessions + p.sessions, poor: t.poor + p.poor }), { sessions: 0, poor: 0 }),
    )
    .filter((t) => t.sessions >= MIN_BUCKET_SESSIONS)
    .map((t) => t.poor / t.sessions);
  return shares.length ? Math.min(...shares) : 0;
}

/** The poor share (0–1) a bucket must reach to be bad. */
export const badThreshold = (usual: number): number => Math.min(1, Math.max(2 * usual, usual + RUN_MIN_POINTS / 100));

/** The run with the most excess poor calls, or undefined when no bucket is bad. */
export function worstRun(points: readonly Point[], usual = usualShare(points)): Run | undefined {
  const threshold = badThreshold(usual);
  const bad = (p: Point) =>
    p.sessions >= MIN_BUCKET_SESSIONS && p.poor >= MIN_BUCKET_POOR && p.poor / p.sessions >= threshold;
  let best: Run | undefined;
  let current: Run | undefined;
  let quiet = 0;
  points.forEach((p, i) => {
    // More than MAX_QUIET quiet buckets in a row (a night, a weekend) end a run.
    quiet = p.sessions < MIN_BUCKET_SESSIONS ? quiet + 1 : 0;
    if (quiet > MAX_QUIET) current = undefined;
    if (bad(p)) {
      if (!current) current = { first: i, last: i, sessions: 0, poor: 0, excess: 0 };
      // Quiet buckets skipped since the last bad one belong to the run.
      for (let j = current.last + 1; j <= i; j++) {
        current.sessions += points[j]!.sessions;
        current.poor += points[j]!.poor;
      }
      if (current.first === i) {
        current.sessions = p.sessions;
        current.poor = p.poor;
      }
      current.last = i;
      current.excess = current.poor - current.sessions * usual;
      if (!best || current.excess > best.excess) best = { ...current };
    } else if (p.sessions >= MIN_BUCKET_SESSIONS) {
      current = undefined;
    }
  });
  return best && sharpenEdges(points, best, usual);
}

/** The share a likelihood ratio tests against is at least this (a usual share of 0 would make any poor call infinitely likelier in the run). */
export const EDGE_USUAL_FLOOR = 0.05;

/**
 * A run's edges, by likelihood ratio: an edge bucket stays in the run only when its poor count
 * is likelier at the run's pooled share than at the usual share, and a neighbouring bucket
 * (even one too quiet to be bad) joins it when it is. A thin trunk's ordinary hour next to an
 * incident (4 poor of 9 at a usual 15%) clears the bad threshold by chance but is far likelier
 * ordinary than at the incident's ~100%; the incident's first hour with 1 call, poor, is not.
 */
function sharpenEdges(points: readonly Point[], run: Run, usual: number): Run {
  const p0 = Math.max(usual, EDGE_USUAL_FLOOR);
  const p1 = Math.min(0.99, run.poor / run.sessions);
  if (!(p1 > p0)) return run;
  const llr = (p: Point) => p.poor * Math.log(p1 / p0) + (p.sessions - p.poor) * Math.log((1 - p1) / (1 - p0));
  const inRun = (p: Point) => p.sessions >= MIN_BUCKET_SESSIONS && llr(p) > 0;
  let { first, last } = run;
  while (first < last && !inRun(points[first]!)) {
    first++;
    while (first < last && points[first]!.sessions < MIN_BUCKET_SESSIONS) first++;
  }
  while (last > first && !inRun(points[last]!)) {
    last--;
    while (last > first && points[last]!.sessions < MIN_BUCKET_SESSIONS) last--;
  }
  const joins = (p: Point | undefined) => p !== undefined && p.sessions > 0 && llr(p) > 0;
  while (joins(points[first - 1])) first--;
  while (joins(points[last + 1])) last++;
  if (first === run.first && last === run.last) return run;
  const span = points.slice(first, last + 1);
  const sessions = span.reduce((n, p) => n + p.sessions, 0);
  const poor = span.reduce((n, p) => n + p.poor, 0);
  return { first, last, sessions, poor, excess: poor - sessions * usual };
}

export interface Step {
  /** Index of the first bucket of the step (one with sessions); it lasts to the end of the series. */
  first: number;
  sessions: number;
  poor: number;
  excess: number;
}

/**
 * The step with the most excess poor calls: from some bucket to the end of the series, the
 * pooled poor share reaches the bad threshold while before it, it did not. An hourly series
 * of a step has quiet night hours that break a run of bad buckets; pooled, the step shows.
 */
export function bestStep(points: readonly Point[], usual = usualShare(points), minSessions = 10): Step | undefined {
  const threshold = badThreshold(usual);
  const total = points.reduce((t, p) => ({ sessions: t.sessions + p.sessions, poor: t.poor + p.poor }), {
    sessions: 0,
    poor: 0,
  });
  let before = { sessions: 0, poor: 0 };
  let best: (Step & { score: number }) | undefined;
  points.forEach((p, k) => {
    const after = { sessions: total.sessions - before.sessions, poor: total.poor - before.poor };
    const beforeShare = before.sessions ? before.poor / before.sessions : 0;
    // Scored against the threshold (a CUSUM): a bucket adds only when it is worse than bad, so the step starts where the trouble does.
    const score = after.poor - after.sessions * threshold;
    if (
      p.sessions > 0 &&
      after.sessions >= minSessions &&
      score >= 0 &&
      beforeShare < threshold &&
      (!best || score > best.score)
    ) {
      best = {
        first: k,
        sessions: after.sessions,
        poor: after.poor,
        excess: after.poor - after.sessions * usual,
        score,
      };
    }
    before = { sessions: before.sessions + p.sessions, poor: before.poor + p.poor };
  });
  return best && { first: best.first, sessions: best.sessions, poor: best.poor, excess: best.excess };
}
