import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";
import { HISTOGRAM_INTERVALS } from "../client/vocabulary.ts";
import { InputError } from "../errors.ts";
import { formatUtc, parseDxpDate, utcSeconds } from "../time.ts";
import { defineTool, READS_DXP } from "./define.ts";
import { emptyNote } from "./coverage.ts";
import { num, round, table } from "./render.ts";
import { appliedLine, appliedSchema, scopedShape, scopeFor } from "./call-scope.ts";
import { qualityCounts } from "./quality-counts.ts";
import { worstBucket } from "./worst-bucket.ts";

/** More buckets than this would flood a model's context; the caller should widen the interval. */
const MAX_BUCKETS = 200;
const INTERVAL_MS = { HOUR: 3_600_000, DAY: 86_400_000 } as const;

/** A bucket ends where the next starts (one interval): its start says it. */
const bucketSchema = lazySchema(() => z.object({
  start: z.string().describe("UTC"),
  sessions: z.number(),
  good: z.number(),
  average: z.number(),
  poor: z.number(),
  score: z.number().nullable().describe("average Nectar score"),
}));

export default defineTool({
  name: "get_session_histogram",
  title: "Call quality over time",
  description:
    "Sessions per hour or day with good/average/poor counts and score: when quality dropped. interval: HOUR for windows up to 2 days, else DAY.",
  group: "sessions",
  annotations: READS_DXP,
  inputSchema: () => z.strictObject({ ...scopedShape(), interval: z.enum(HISTOGRAM_INTERVALS).optional() }),
  outputSchema: () => appliedSchema().extend({ interval: z.enum(HISTOGRAM_INTERVALS), buckets: z.array(bucketSchema()) }),
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    const span = Date.parse(applied.window.to) - Date.parse(applied.window.from);
    const interval = args.interval ?? (span <= 2 * INTERVAL_MS.DAY ? "HOUR" : "DAY");
    if (span / INTERVAL_MS[interval] > MAX_BUCKETS) {
      throw new InputError(`interval ${interval} over this window gives more than ${MAX_BUCKETS} buckets; use interval DAY or a shorter window.`);
    }
    const answer = await client.histogram({ ...query, interval }, call);
    const buckets = answer.map(({ startDate, sessions }) => ({
      start: utcSeconds(parseDxpDate(startDate)),
      ...qualityCounts(sessions, sessions.avgNectarScore),
    }));
    const { worst, floor } = worstBucket(buckets);
    const total = buckets.reduce((n, b) => n + b.sessions, 0);
    const unit = interval.toLowerCase();
    const text = [
      `Sessions per ${interval.toLowerCase()} (bucket starts in UTC). ${appliedLine(applied)}`,
      // Compact rows (a model pays for every token): the date once per day, counts as good/average/poor.
      table(
        ["start UTC", "sessions", "good/avg/poor", "poor %", "score"],
        buckets.map((b, i) => {
          const start = formatUtc(new Date(b.start));
          const sameDay = i > 0 && buckets[i - 1]!.start.slice(0, 10) === b.start.slice(0, 10);
          const when = interval === "HOUR" && sameDay ? start.slice(11) : start.slice(0, interval === "HOUR" ? 16 : 10);
          return [when, b.sessions, `${b.good}/${b.average}/${b.poor}`, num(b.poorPercent, 0), num(b.avgNectarScore, 0)];
        }),
        "|",
      ),
      total === 0
        ? await emptyNote(scope, context)
        : worst
          ? `Worst ${unit} (of those with ≥ ${floor} sessions): ${formatUtc(new Date(worst.start))} UTC with ${worst.poorPercent}% poor of ${worst.sessions}.`
          : `No ${unit} has ${floor} or more sessions.`,
    ].join("\n");
    // Unknown and the poor share follow from the counts: the text shows them, the data leaves them out.
    const data = buckets.map(({ start, sessions, good, average, poor, avgNectarScore }) => ({ start, sessions, good, average, poor, score: round(avgNectarScore, 0) }));
    return { data: { ...applied, interval, buckets: data }, text };
  },
});
