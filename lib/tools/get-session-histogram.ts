import { z } from "zod";
import type { SessionQuery } from "../client/query.ts";
import { HISTOGRAM_INTERVALS } from "../client/vocabulary.ts";
import { InputError } from "../errors.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc, parseDxpDate, utcSeconds } from "../time.ts";
import { coverageOf, emptyNote } from "../tool-answers/data-extent.ts";
import { qualityCounts } from "../tool-answers/quality-counts.ts";
import { num, percentOf, round, table } from "../tool-answers/render.ts";
import {
  badThreshold,
  MIN_BUCKET_POOR,
  MIN_BUCKET_SESSIONS,
  RUN_MIN_POINTS,
  usualShare,
  worstRun,
} from "../tool-answers/runs.ts";
import { worstBucket } from "../tool-answers/worst-bucket.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { BY, BY_DIMENSIONS, type By, onlyGroup } from "../tool-query/breakdown-by.ts";
import { appliedLine, appliedSchema, type Scope, scopedShape, scopeFor } from "../tool-query/call-scope.ts";

/** More buckets than this would flood a model's context; the caller should widen the interval. */
const MAX_BUCKETS = 200;
export const INTERVAL_MS = { HOUR: 3_600_000, DAY: 86_400_000 } as const;

/** A bucket ends where the next starts (one interval): its start says it. */
const bucketSchema = lazySchema(() =>
  z.object({
    start: z.string().describe("UTC"),
    sessions: z.number(),
    good: z.number(),
    average: z.number(),
    poor: z.number(),
    score: z.number().nullable().describe("average Nectar score"),
  }),
);

/** One group's series with `by`: its counts per bucket, in the order of `buckets`. */
const groupSchema = lazySchema(() =>
  z.object({
    name: z.string(),
    sessions: z.number(),
    poor: z.number(),
    series: z.array(z.object({ sessions: z.number(), poor: z.number() })),
  }),
);

/** Series letters: group names are long ("Northline Telecom / trunk NLT-2"), a table header names each once. */
const LETTERS = "ABCDEFGHIJ";

/** The buckets of one histogram answer. */
async function bucketsOf(scope: Scope, query: SessionQuery, interval: "HOUR" | "DAY") {
  const answer = await scope.client.histogram({ ...query, interval }, scope.call);
  return answer.map(({ startDate, sessions }) => ({
    start: utcSeconds(parseDxpDate(startDate)),
    ...qualityCounts(sessions, sessions.avgNectarScore),
  }));
}

export default defineTool({
  name: "get_session_histogram",
  title: "Call quality over time",
  description:
    "Sessions per hour or day with good/average/poor counts and score: when quality dropped. interval: HOUR for windows up to 2 days, else DAY. " +
    "by (a breakdown dimension, e.g. carrier, device): one series per group, to watch a trunk or headset over time.",
  group: "sessions",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      ...scopedShape(),
      interval: z.enum(HISTOGRAM_INTERVALS).optional(),
      by: z.enum(BY).optional(),
      limit: z.number().int().min(1).max(LETTERS.length).default(5).describe("with by: groups with most poor calls"),
    }),
  outputSchema: () =>
    appliedSchema().extend({
      interval: z.enum(HISTOGRAM_INTERVALS),
      buckets: z.array(bucketSchema()),
      by: z.enum(BY).optional(),
      groups: z.array(groupSchema()).optional(),
    }),
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    const span = Date.parse(applied.window.to) - Date.parse(applied.window.from);
    const interval = args.interval ?? (span <= 2 * INTERVAL_MS.DAY ? "HOUR" : "DAY");
    if (span / INTERVAL_MS[interval] > MAX_BUCKETS) {
      throw new InputError(
        `interval ${interval} over this window gives more than ${MAX_BUCKETS} buckets; use interval DAY or a shorter window.`,
      );
    }
    const by = args.by as By | undefined;
    // With by: one breakdown picks the groups, beside it the whole filter's series; then each group's series in
    // parallel (2 + limit requests). Beside the first reads, the data's extent (one request): whether the window
    // lies within the retained data. The answer's own reads go out first.
    const pick = by ? client.sessionBreakdown({ ...query, groupBy: BY_DIMENSIONS[by].upstream }, call) : undefined;
    const whole = bucketsOf(scope, query, interval);
    const covered = coverageOf(scope, context);
    // Awaited after the reads: a failing read must not leave these rejections unhandled meanwhile.
    covered.catch(() => undefined);
    whole.catch(() => undefined);
    const picked = pick
      ? (await pick)
          .filter((g) => g.sessions.all > 0)
          .sort(
            (a, b) =>
              b.sessions.poor - a.sessions.poor || b.sessions.all - a.sessions.all || a.name.localeCompare(b.name),
          )
          .slice(0, args.limit)
      : [];
    const [buckets, ...perGroup] = await Promise.all([
      whole,
      ...picked.map((g) => bucketsOf(scope, { ...query, ...onlyGroup(by!, g.name) }, interval)),
    ]);
    const coverage = await covered;
    const groups = picked.map((g, i) => {
      const byStart = new Map(perGroup[i]!.map((b) => [b.start, b]));
      const series = buckets.map((b) => ({
        sessions: byStart.get(b.start)?.sessions ?? 0,
        poor: byStart.get(b.start)?.poor ?? 0,
      }));
      return { name: g.name, label: g.label ?? null, sessions: g.sessions.all, poor: g.sessions.poor, series };
    });
    const { worst, floor } = worstBucket(buckets);
    const total = buckets.reduce((n, b) => n + b.sessions, 0);
    const unit = interval.toLowerCase();
    const when = (start: string, i: number, rows: readonly { start: string }[]) => {
      const text = formatUtc(new Date(start));
      const sameDay = i > 0 && rows[i - 1]!.start.slice(0, 10) === start.slice(0, 10);
      return interval === "HOUR" && sameDay ? text.slice(11) : text.slice(0, interval === "HOUR" ? 16 : 10);
    };
    const bucketEnd = (i: number) => formatUtc(new Date(Date.parse(buckets[i]!.start) + INTERVAL_MS[interval]));
    const lines = by
      ? [
          `Sessions per ${unit} by ${by}: the ${groups.length} group${groups.length === 1 ? "" : "s"} with the most poor calls, poor %/sessions per bucket (starts in UTC). ${appliedLine(applied)}`,
          groups.length
            ? `Groups: ${groups.map((g, i) => `${LETTERS[i]} ${g.label ? `${g.label} (${g.name})` : g.name} (${g.sessions}, ${percentOf(g.poor, g.sessions)}% poor)`).join(" · ")}`
            : "",
          table(
            ["start UTC", ...groups.map((_, i) => LETTERS[i]!), "all"],
            buckets.map((b, i) => [
              when(b.start, i, buckets),
              ...groups.map((g) =>
                g.series[i]!.sessions ? `${Math.round(pct(g.series[i]!))}/${g.series[i]!.sessions}` : "-",
              ),
              b.sessions ? `${Math.round(b.poorPercent)}/${b.sessions}` : "-",
            ]),
            "|",
          ),
          groups.length
            ? `Bad runs (poor share ≥ twice the group's usual and ≥ ${RUN_MIN_POINTS} pts above it, ${unit}s with ≥ ${MIN_BUCKET_SESSIONS} sessions and ≥ ${MIN_BUCKET_POOR} poor; edge ${unit}s likelier at the run's share than the usual): ` +
              groups
                .map((g, i) => {
                  const usual = usualShare(g.series);
                  const run = worstRun(g.series, usual);
                  if (!run) return `${LETTERS[i]} none (usual ${num(100 * usual, 0)}%)`;
                  return `${LETTERS[i]} ${formatUtc(new Date(buckets[run.first]!.start))} → ${bucketEnd(run.last)} UTC, ${percentOf(run.poor, run.sessions)}% poor of ${run.sessions} (usual ${num(100 * usual, 0)}%, threshold ${num(100 * badThreshold(usual), 0)}%)`;
                })
                .join("; ") +
              "."
            : "",
        ]
      : [
          `Sessions per ${unit} (bucket starts in UTC). ${appliedLine(applied)}`,
          // Compact rows (a model pays for every token): the date once per day, counts as good/average/poor.
          table(
            ["start UTC", "sessions", "good/avg/poor", "poor %", "score"],
            buckets.map((b, i) => [
              when(b.start, i, buckets),
              b.sessions,
              `${b.good}/${b.average}/${b.poor}`,
              num(b.poorPercent, 0),
              num(b.avgNectarScore, 0),
            ]),
            "|",
          ),
        ];
    // The window's coverage under the first line, where the window is named (none when empty: emptyNote says it).
    if (total > 0 && coverage.window) lines.splice(1, 0, coverage.window);
    lines.push(
      total === 0
        ? await emptyNote(scope, context, coverage.extent)
        : worst
          ? `Worst ${unit}${by ? " of all" : ""} (of those with ≥ ${floor} sessions): ${formatUtc(new Date(worst.start))} UTC with ${worst.poorPercent}% poor of ${worst.sessions}.`
          : `No ${unit} has ${floor} or more sessions.`,
    );
    // Unknown and the poor share follow from the counts: the text shows them, the data leaves them out.
    const data = buckets.map(({ start, sessions, good, average, poor, avgNectarScore }) => ({
      start,
      sessions,
      good,
      average,
      poor,
      score: round(avgNectarScore, 0),
    }));
    return {
      data: {
        ...applied,
        interval,
        buckets: data,
        ...(by ? { by, groups: groups.map(({ label: _l, ...g }) => g) } : {}),
      },
      text: lines.filter(Boolean).join("\n"),
    };
  },
});

const pct = (p: { sessions: number; poor: number }) => (p.sessions ? (100 * p.poor) / p.sessions : 0);
