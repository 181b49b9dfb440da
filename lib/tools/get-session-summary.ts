import { z } from "zod";
import type { QualityMetrics, Summary } from "../client/schemas.ts";
import type { QualityMetric } from "../client/vocabulary.ts";
import { defineTool, READS_DXP } from "./define.ts";
import {
  type Change,
  change as changeOf,
  changeLine,
  changeSchema,
  compareField,
  type Figures,
  previousScope,
  previousWindowOf,
  previousWindowSchema,
} from "./compare.ts";
import { emptyNote } from "./coverage.ts";
import { num, percentOf, round } from "./render.ts";
import { appliedLine, appliedSchema, scopedShape, scopeFor } from "./call-scope.ts";
import { fetchAll } from "./fetch-all.ts";

/** Counts only: shares follow from totalSessions (the text shows them). */
const groupSchema = z.object({ group: z.string(), count: z.number() });
const metricsSchema = z.object({
  qualityType: z.string().nullable(),
  streams: z.number().nullable(),
  avgJitterMs: z.number().nullable(),
  avgRoundTripMs: z.number().nullable(),
  avgPacketLossPct: z.number().nullable(),
  avgNectarScore: z.number().nullable(),
});

const METRIC_FIELDS = {
  NUMBER_OF_STREAMS: "streams",
  AVG_JITTER: "avgJitterMs",
  AVG_ROUND_TRIP_DELAY: "avgRoundTripMs",
  AVG_PACKET_LOSS_PERCENTAGE: "avgPacketLossPct",
  AVG_NECTAR_SCORE: "avgNectarScore",
} as const satisfies Record<QualityMetric, string>;

/**
 * One row per media kind: the DXP's per-quality-type figures averaged, weighted by streams
 * (issue 13: the per-type rows were most of the answer; get_quality_breakdown answers "why").
 */
function mediaRow(answer: QualityMetrics): z.infer<typeof metricsSchema> {
  let streams = 0;
  const sums: Record<(typeof METRIC_FIELDS)[keyof typeof METRIC_FIELDS], number> = { streams: 0, avgJitterMs: 0, avgRoundTripMs: 0, avgPacketLossPct: 0, avgNectarScore: 0 };
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
  const mean = (field: keyof typeof sums, digits: number) => (weights[field] > 0 ? round(sums[field] / weights[field], digits) : null);
  return {
    qualityType: null,
    streams,
    avgJitterMs: mean("avgJitterMs", 1),
    avgRoundTripMs: mean("avgRoundTripMs", 0),
    avgPacketLossPct: mean("avgPacketLossPct", 2),
    avgNectarScore: mean("avgNectarScore", 1),
  };
}

/** Shares from the counts (percentOf), not the DXP's rounded percentage: one figure everywhere. */
const groups = (list: { group: string; count: number }[]) => list.map((g) => ({ group: g.group, count: g.count }));

/** Sessions, poor share and score from the quality summary. */
function figuresOf(byQuality: Summary): Figures {
  const total = byQuality.summary.totalCount;
  const poor = byQuality.groups.find((g) => g.group === "CRITICAL")?.count ?? 0;
  return { sessions: total, poorPercent: percentOf(poor, total), avgNectarScore: round(byQuality.summary.avgNectarScore, 1) };
}

export default defineTool({
  name: "get_session_summary",
  title: "Session summary",
  description:
    "Overview of call quality: sessions, score, quality and modality split, insights, media metrics. Start here; compareWithPreviousPeriod adds the change.",
  group: "sessions",
  inputSchema: z.strictObject({ ...scopedShape, compareWithPreviousPeriod: compareField }),
  outputSchema: appliedSchema.extend({
    totalSessions: z.number(),
    avgNectarScore: z.number().nullable(),
    conversationJourneys: z.number().nullable(),
    byQuality: z.array(groupSchema),
    byModality: z.array(groupSchema),
    insights: z.array(z.object({ insight: z.string(), count: z.number() })).describe("those with sessions"),
    media: z.object({ audio: z.array(metricsSchema), video: z.array(metricsSchema), appshare: z.array(metricsSchema) }),
    change: changeSchema.optional(),
    previousWindow: previousWindowSchema.optional(),
  }),
  annotations: READS_DXP,
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    const [summary, byQuality, insights, audio, video, appshare] = await fetchAll(context, [
      () => client.sessionSummary(query, call),
      () => client.sessionSummaryByQuality(query, call),
      () => client.sessionInsights(query, call),
      () => client.qualityByMedia("audio", query, call),
      () => client.qualityByMedia("video", query, call),
      () => client.qualityByMedia("appshare", query, call),
    ] as const);
    const data = {
      ...applied,
      totalSessions: summary.summary.totalCount,
      avgNectarScore: round(summary.summary.avgNectarScore, 1),
      conversationJourneys: summary.summary.conversationJourneyCount ?? null,
      byQuality: groups(byQuality.groups),
      byModality: groups(summary.groups),
      insights: insights.filter((i) => i.count > 0).map((i) => ({ insight: i.insight, count: i.count })),
      // Arrays of one row each: the shape of a per-quality-type answer, which the map view also reads.
      media: { audio: [mediaRow(audio)], video: [mediaRow(video)], appshare: [mediaRow(appshare)] },
    };
    const figures = figuresOf(byQuality);
    let change: Change | undefined;
    const previous = args.compareWithPreviousPeriod ? previousScope(scope) : undefined;
    if (previous) change = changeOf(figures, figuresOf(await client.sessionSummaryByQuality(previous.query, call)));
    const split = (list: typeof data.byQuality, total: number) =>
      list.map((g) => `${g.group === "CRITICAL" ? "CRITICAL(poor)" : g.group} ${percentOf(g.count, total)}% (${g.count})`).join(" · ") || "none";
    const mediaLine = (label: string, [r]: typeof data.media.audio) =>
      !r?.streams
        ? `${label}: no streams`
        : `${label}: ${num(r.streams, 0)} streams, jitter ${num(r.avgJitterMs, 1, " ms")}, RTT ${num(r.avgRoundTripMs, 0, " ms")}, loss ${num(r.avgPacketLossPct, 2, "%")}, score ${num(r.avgNectarScore, 1)}`;
    const notable = insights.filter((i) => i.count > 0).map((i) => ({ ...i, percent: percentOf(i.count, i.totalSessions) }));
    const text = [
      `Session summary. ${appliedLine(applied)}`,
      `Sessions ${data.totalSessions} · avg Nectar score ${num(data.avgNectarScore)} (higher is better) · conversation journeys ${num(data.conversationJourneys, 0)}`,
      `Quality: ${split(data.byQuality, byQuality.summary.totalCount)}`,
      `Modality: ${split(data.byModality, summary.summary.totalCount)}`,
      `Insights: ${notable.map((i) => `${i.insight} ${i.count} (${i.percent}%)`).join(" · ") || "none"}`,
      `Media (stream-weighted over call types) · ${mediaLine("audio", data.media.audio)} · ${mediaLine("video", data.media.video)} · ${mediaLine("app sharing", data.media.appshare)}`,
      ...(change && previous ? [changeLine(figures, change, previous.window)] : []),
      ...(data.totalSessions === 0 ? [await emptyNote(scope, context)] : []),
    ].join("\n");
    return { data: change && previous ? { ...data, change, previousWindow: previousWindowOf(previous.window) } : data, text };
  },
});
