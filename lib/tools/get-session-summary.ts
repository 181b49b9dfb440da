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
import { appliedLine, appliedSchema, fetchAll, scopedShape, scopeFor } from "./scope.ts";

const groupSchema = z.object({ group: z.string(), count: z.number(), percentage: z.number() });
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

function metricsRows(answer: QualityMetrics): z.infer<typeof metricsSchema>[] {
  return answer.map(({ qualityType, qualityMetrics }) => {
    const row: z.infer<typeof metricsSchema> = {
      qualityType,
      streams: null,
      avgJitterMs: null,
      avgRoundTripMs: null,
      avgPacketLossPct: null,
      avgNectarScore: null,
    };
    for (const metric of qualityMetrics) {
      const field = METRIC_FIELDS[metric.name as keyof typeof METRIC_FIELDS];
      if (field) row[field] = round(metric.value, 2);
    }
    return row;
  });
}

/** Shares from the counts (percentOf), not the DXP's rounded percentage: one figure everywhere. */
const groups = (list: { group: string; count: number }[], total: number) =>
  list.map((g) => ({ group: g.group, count: g.count, percentage: percentOf(g.count, total) }));

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
    "Overview of call quality: session count, average Nectar score, quality split (GOOD/AVERAGE/CRITICAL=poor), modality split, quality insights (jitter, packet loss, delay) and per-media metrics by quality type. Start here for 'how were calls?'; compareWithPreviousPeriod adds the change vs the period before. Applies the session filter; arguments override it for this call.",
  group: "sessions",
  inputSchema: z.strictObject({ ...scopedShape, compareWithPreviousPeriod: compareField }),
  outputSchema: appliedSchema.extend({
    totalSessions: z.number(),
    avgNectarScore: z.number().nullable(),
    conversationJourneys: z.number().nullable(),
    byQuality: z.array(groupSchema),
    byModality: z.array(groupSchema),
    insights: z.array(z.object({ insight: z.string(), count: z.number(), percent: z.number() })),
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
      byQuality: groups(byQuality.groups, byQuality.summary.totalCount),
      byModality: groups(summary.groups, summary.summary.totalCount),
      insights: insights.map((i) => ({ insight: i.insight, count: i.count, percent: percentOf(i.count, i.totalSessions) })),
      media: { audio: metricsRows(audio), video: metricsRows(video), appshare: metricsRows(appshare) },
    };
    const figures = figuresOf(byQuality);
    let change: Change | undefined;
    const previous = args.compareWithPreviousPeriod ? previousScope(scope) : undefined;
    if (previous) change = changeOf(figures, figuresOf(await client.sessionSummaryByQuality(previous.query, call)));
    const split = (list: typeof data.byQuality) =>
      list.map((g) => `${g.group === "CRITICAL" ? "CRITICAL(poor)" : g.group} ${g.percentage}% (${g.count})`).join(" · ") || "none";
    // Quality types without streams carry no information: left out of the text (not the data).
    const mediaLine = (label: string, all: typeof data.media.audio) => {
      const rows = all.filter((r) => (r.streams ?? 1) > 0);
      return rows.length === 0
        ? `${label}: no streams`
        : `${label}: ` +
          rows
            .map(
              (r) =>
                `${r.qualityType ?? "all"} streams ${num(r.streams, 0)}, jitter ${num(r.avgJitterMs, 1, " ms")}, RTT ${num(r.avgRoundTripMs, 0, " ms")}, loss ${num(r.avgPacketLossPct, 2, "%")}, score ${num(r.avgNectarScore, 1)}`,
            )
            .join("; ");
    };
    const notable = data.insights.filter((i) => i.count > 0);
    const text = [
      `Session summary. ${appliedLine(applied)}`,
      `Sessions ${data.totalSessions} · avg Nectar score ${num(data.avgNectarScore)} (higher is better) · conversation journeys ${num(data.conversationJourneys, 0)}`,
      `Quality: ${split(data.byQuality)}`,
      `Modality: ${split(data.byModality)}`,
      `Insights: ${notable.map((i) => `${i.insight} ${i.count} (${i.percent}%)`).join(" · ") || "none"}`,
      mediaLine("Audio", data.media.audio),
      mediaLine("Video", data.media.video),
      mediaLine("App sharing", data.media.appshare),
      ...(change && previous ? [changeLine(figures, change, previous.window)] : []),
      ...(data.totalSessions === 0 ? [await emptyNote(scope, context)] : []),
    ].join("\n");
    return { data: change && previous ? { ...data, change, previousWindow: previousWindowOf(previous.window) } : data, text };
  },
});
