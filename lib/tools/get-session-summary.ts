import { z } from "zod";
import type { QualityMetrics, Summary } from "../client/schemas.ts";
import { CONTACT_CENTRE_LABELS, type QualityMetric } from "../client/vocabulary.ts";
import { lazySchema } from "../lazy-schema.ts";
import {
  type Change,
  changeLine,
  change as changeOf,
  changeSchema,
  compareField,
  type Figures,
  previousScope,
  previousWindowOf,
  previousWindowSchema,
} from "../tool-answers/compare.ts";
import { coverageOf, emptyNote } from "../tool-answers/data-extent.ts";
import { asOfText, dataAsOf } from "../tool-answers/freshness.ts";
import { num, percentOf, round, table } from "../tool-answers/render.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { fetchAll } from "../tool-kit/fetch-all.ts";
import { appliedLine, appliedSchema, scopedShape, scopeFor } from "../tool-query/call-scope.ts";

/**
 * Counts keyed by group (`{ "GOOD": 83 }`): shares follow from totalSessions, so neither part
 * repeats them (issue 13: arrays of `{ group, count }` were most of the structured answer).
 */
const countsSchema = lazySchema(() => z.record(z.string(), z.number()));
/**
 * One stream-weighted row per media kind; averages are left out when no stream has them, and
 * jitter/RTT/loss unless `detail` asks for them (issue 13: the default answer stays small).
 */
const mediaSchema = lazySchema(() =>
  z.object({
    streams: z.number(),
    jitterMs: z.number().nullable().optional(),
    rttMs: z.number().nullable().optional(),
    lossPct: z.number().nullable().optional(),
    score: z.number().nullable(),
  }),
);
type MediaRow = z.infer<ReturnType<typeof mediaSchema>>;

const METRIC_FIELDS = {
  NUMBER_OF_STREAMS: "streams",
  AVG_JITTER: "jitterMs",
  AVG_ROUND_TRIP_DELAY: "rttMs",
  AVG_PACKET_LOSS_PERCENTAGE: "lossPct",
  AVG_NECTAR_SCORE: "score",
} as const satisfies Record<QualityMetric, string>;

/**
 * One row per media kind: the DXP's per-quality-type figures averaged, weighted by streams
 * (issue 13: the per-type rows were most of the answer; get_quality_breakdown answers "why").
 */
function mediaRow(answer: QualityMetrics): MediaRow {
  let streams = 0;
  const sums: Record<(typeof METRIC_FIELDS)[keyof typeof METRIC_FIELDS], number> = {
    streams: 0,
    jitterMs: 0,
    rttMs: 0,
    lossPct: 0,
    score: 0,
  };
  const weights = { ...sums };
  for (const { qualityMetrics } of answer) {
    const count = qualityMetrics.find((m) => m.name === "NUMBER_OF_STREAMS")?.value ?? 0;
    streams += count;
    for (const metric of qualityMetrics) {
      const field = METRIC_FIELDS[metric.name as keyof typeof METRIC_FIELDS];
      if (!field || field === "streams" || metric.value === null || metric.value === undefined || count <= 0) continue;
      sums[field] += metric.value * count;
      weights[field] += count;
    }
  }
  const mean = (field: keyof typeof sums, digits: number) =>
    weights[field] > 0 ? round(sums[field] / weights[field], digits) : null;
  return {
    streams,
    jitterMs: mean("jitterMs", 1),
    rttMs: mean("rttMs", 0),
    lossPct: mean("lossPct", 2),
    score: mean("score", 1),
  };
}

const countsOf = (list: { group: string; count: number }[]): Record<string, number> =>
  Object.fromEntries(list.map((g) => [g.group, g.count]));

/** "GOOD 83 · AVERAGE 19 · CRITICAL(poor) 33 (23.2%) · UNKNOWN 7": the poor share is the one a model compares. */
const countsLine = (counts: Record<string, number>, total: number) =>
  Object.entries(counts)
    .map(([group, count]) =>
      group === "CRITICAL" ? `CRITICAL(poor) ${count} (${percentOf(count, total)}%)` : `${group} ${count}`,
    )
    .join(" · ") || "none";

/** Insights the default answer names, most first; `detail` lists all (the text counts the rest). */
const TOP_INSIGHTS = 3;

const MEDIA_LABELS = { audio: "audio", video: "video", appshare: "app sharing" } as const;

/** Sessions, poor share and score from the quality summary. */
function figuresOf(byQuality: Summary): Figures {
  const total = byQuality.summary.totalCount;
  const poor = byQuality.groups.find((g) => g.group === "CRITICAL")?.count ?? 0;
  return {
    sessions: total,
    poorPercent: percentOf(poor, total),
    avgNectarScore: round(byQuality.summary.avgNectarScore, 1),
  };
}

export default defineTool({
  name: "get_session_summary",
  title: "Session summary",
  description:
    "Overview of call quality: sessions, score, quality split, top insights, score per media. Start here; compareWithPreviousPeriod adds the change.",
  group: "sessions",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      ...scopedShape(),
      compareWithPreviousPeriod: compareField(),
      detail: z.boolean().optional().describe("add modality, all insights, media jitter/RTT/loss"),
    }),
  outputSchema: () =>
    appliedSchema().extend({
      totalSessions: z.number(),
      avgNectarScore: z.number().nullable(),
      conversationJourneys: z.number().nullable().optional(),
      quality: countsSchema().describe("sessions by quality group"),
      modality: countsSchema().optional().describe("sessions by modality"),
      insights: countsSchema().describe("sessions per quality insight, most first"),
      contactCentre: countsSchema().optional().describe("sessions per contact-centre label"),
      media: z
        .object({ audio: mediaSchema(), video: mediaSchema(), appshare: mediaSchema() })
        .optional()
        .describe("stream-weighted (detail)"),
      mediaScore: z
        .object({ audio: z.number().nullable(), video: z.number().nullable(), appshare: z.number().nullable() })
        .optional(),
      change: changeSchema().optional(),
      previousWindow: previousWindowSchema().optional(),
      dataAsOf: z.string().optional().describe("when the DXP last loaded its analytics (UTC), when it says"),
    }),
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    const previous = args.compareWithPreviousPeriod ? previousScope(scope) : undefined;
    // Every read at once, the previous period's and its coverage too: one round trip (issue 20,
    // item 10). The answer's own reads go out first; the coverage and freshness reads after them.
    const reads = fetchAll(context, [
      () => client.sessionSummary(query, call),
      () => client.sessionSummaryByQuality(query, call),
      () => client.sessionInsights(query, call),
      () => client.qualityByMedia("audio", query, call),
      () => client.qualityByMedia("video", query, call),
      () => client.qualityByMedia("appshare", query, call),
      () => (previous ? client.sessionSummaryByQuality(previous.query, call) : Promise.resolve(undefined)),
    ] as const);
    // The data's extent: whether the window, and the previous period, lie within the retained data.
    const covered = coverageOf(scope, context, previous?.window);
    const asOf = dataAsOf(scope);
    // Awaited after the reads: a failing read must not leave this rejection unhandled meanwhile.
    covered.catch(() => undefined);
    const [summary, byQuality, insights, audio, video, appshare, before] = await reads;
    const media = { audio: mediaRow(audio), video: mediaRow(video), appshare: mediaRow(appshare) };
    // Contact-centre roles (CUSTOMER, IVR, AGENT, ACD) are labels, not quality problems: counted apart.
    const isLabel = (insight: string) => (CONTACT_CENTRE_LABELS as readonly string[]).includes(insight);
    const present = insights.filter((i) => i.count > 0).sort((a, b) => b.count - a.count);
    const allInsights = present.filter((i) => !isLabel(i.insight)).map((i) => [i.insight, i.count] as const);
    const contactCentre = Object.fromEntries(
      present.filter((i) => isLabel(i.insight)).map((i) => [i.insight, i.count]),
    );
    const shownInsights = args.detail ? allInsights : allInsights.slice(0, TOP_INSIGHTS);
    const moreInsights = allInsights.length - shownInsights.length;
    const freshness = await asOf;
    const base = {
      ...applied,
      ...(freshness ? { dataAsOf: freshness } : {}),
      totalSessions: summary.summary.totalCount,
      avgNectarScore: round(summary.summary.avgNectarScore, 1),
      quality: countsOf(byQuality.groups),
      insights: Object.fromEntries(shownInsights),
      ...(Object.keys(contactCentre).length ? { contactCentre } : {}),
    };
    // The default answer: who, how many, how good, what went wrong, and each media's score.
    const data = args.detail
      ? {
          ...base,
          conversationJourneys: summary.summary.conversationJourneyCount ?? null,
          modality: countsOf(summary.groups),
          media,
        }
      : { ...base, mediaScore: { audio: media.audio.score, video: media.video.score, appshare: media.appshare.score } };
    const figures = figuresOf(byQuality);
    const coverage = await covered;
    const change: Change | undefined = before
      ? changeOf(figures, figuresOf(before), coverage.previous.covered)
      : undefined;
    const labelled = Object.entries(media).map(
      ([kind, r]) => [MEDIA_LABELS[kind as keyof typeof MEDIA_LABELS], r] as const,
    );
    const mediaLines = args.detail
      ? [
          table(
            ["media", "streams", "jitter ms", "RTT ms", "loss %", "score"],
            labelled.map(([label, r]) => [label, r.streams, r.jitterMs, r.rttMs, r.lossPct, r.score]),
          ),
        ]
      : [`Media score: ${labelled.map(([label, r]) => `${label} ${num(r.score)}`).join(" · ")}`];
    // Counts, and the poor share: other shares follow from the session count.
    const text = [
      `Session summary. ${appliedLine(applied)}${asOfText(freshness, applied.window.to)}`,
      ...(coverage.window && data.totalSessions > 0 ? [coverage.window] : []),
      `Sessions ${base.totalSessions} · avg Nectar score ${num(base.avgNectarScore)} · ${countsLine(base.quality, byQuality.summary.totalCount)}`,
      ...(args.detail
        ? [
            `Modality: ${countsLine(countsOf(summary.groups), summary.summary.totalCount)} · conversation journeys ${num(summary.summary.conversationJourneyCount ?? null, 0)}`,
          ]
        : []),
      `Insights: ${countsLine(base.insights, base.totalSessions)}${moreInsights > 0 ? ` · ${moreInsights} more` : ""}`,
      ...(Object.keys(contactCentre).length
        ? [`Contact centre (labels, not quality): ${countsLine(contactCentre, base.totalSessions)}`]
        : []),
      ...mediaLines,
      ...(change && previous ? [changeLine(figures, change, previous.window, coverage.previous.note)] : []),
      ...(data.totalSessions === 0 ? [await emptyNote(scope, context, coverage.extent)] : []),
      ...(args.detail ? [] : ["detail:true for more, get_quality_breakdown for causes"]),
    ].join("\n");
    return {
      data: change && previous ? { ...data, change, previousWindow: previousWindowOf(previous.window) } : data,
      text,
    };
  },
});
