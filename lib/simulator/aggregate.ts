// Aggregations over the sessions of one request (already windowed and filtered).
// Answers are typed by the client's schemas, so the simulator cannot drift from them.

import { PARAMS } from "../client/endpoints.ts";
import type { Histogram, Insights, QualityMap, QualityMetrics, Summary } from "../client/schemas.ts";
import {
  type HistogramInterval,
  INSIGHTS,
  type MediaKind,
  MODALITIES,
  type Modality,
  QUALITIES,
  QUALITY_TYPES,
  type QualityMetric,
} from "../client/vocabulary.ts";
import type { Window } from "./catalogue.ts";
import { DAY_MS, HOUR_MS } from "./catalogue.ts";
import { startMs } from "./data.ts";
import { badRequest } from "./http.ts";
import { locationJson, noZone } from "./render.ts";
import { jitterMs, packetLossPercent, type SimSession } from "./sessions.ts";

/** Insight thresholds: the one table, in the client's vocabulary. */
export { THRESHOLDS } from "../client/vocabulary.ts";

import { THRESHOLDS } from "../client/vocabulary.ts";

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (count: number, total: number) => (total ? round((count * 100) / total, 2) : 0);

export function average(sessions: readonly SimSession[], value: (s: SimSession) => number | null): number | null {
  let sum = 0;
  let n = 0;
  for (const s of sessions) {
    const v = value(s);
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  return n ? round(sum / n, 2) : null;
}

export const avgNectarScore = (sessions: readonly SimSession[]) => average(sessions, (s) => s.nectarScore);

export function summary(
  sessions: readonly SimSession[],
  groups: readonly string[],
  groupOf: (s: SimSession) => string,
): Summary {
  const counts = new Map(groups.map((g) => [g, 0]));
  for (const s of sessions) counts.set(groupOf(s), (counts.get(groupOf(s)) ?? 0) + 1);
  return {
    summary: {
      totalCount: sessions.length,
      avgNectarScore: avgNectarScore(sessions),
      conversationJourneyCount: sessions.filter((s) => s.contactCentre.includes("CUSTOMER")).length,
    },
    groups: [...counts].map(([group, count]) => ({ group, count, percentage: percent(count, sessions.length) })),
  };
}

export const byModality = (sessions: readonly SimSession[]) => summary(sessions, MODALITIES, (s) => s.modality);
export const byQuality = (sessions: readonly SimSession[]) => summary(sessions, QUALITIES, (s) => s.quality);

const INSIGHT_TESTS: Record<(typeof INSIGHTS)[number], (s: SimSession) => boolean> = {
  HIGH_JITTER: (s) => (s.jitter10 ?? 0) > THRESHOLDS.jitterMs * 10,
  HIGH_PACKET_LOSS: (s) => (s.loss100 ?? 0) > THRESHOLDS.packetLossPercent * 100,
  HIGH_ROUNDTRIP_DELAY: (s) => (s.rtt ?? 0) > THRESHOLDS.roundTripMs,
  AGENT: (s) => s.contactCentre.includes("AGENT"),
  ACD: (s) => s.contactCentre.includes("ACD"),
  IVR: (s) => s.contactCentre.includes("IVR"),
  CUSTOMER: (s) => s.contactCentre.includes("CUSTOMER"),
};

export function insights(sessions: readonly SimSession[]): Insights {
  return INSIGHTS.map((insight) => {
    const count = sessions.filter(INSIGHT_TESTS[insight]).length;
    return { insight, count, percent: percent(count, sessions.length), totalSessions: sessions.length };
  });
}

const MEDIA_MODALITY: Record<MediaKind, Modality> = { audio: "AUDIO", video: "VIDEO", appshare: "APP_SHARING" };

function metrics(sessions: readonly SimSession[]): { name: QualityMetric; value: number | null }[] {
  return [
    { name: "NUMBER_OF_STREAMS", value: sessions.reduce((n, s) => n + s.streams, 0) },
    { name: "AVG_JITTER", value: average(sessions, jitterMs) },
    { name: "AVG_ROUND_TRIP_DELAY", value: average(sessions, (s) => s.rtt) },
    { name: "AVG_PACKET_LOSS_PERCENTAGE", value: average(sessions, packetLossPercent) },
    { name: "AVG_NECTAR_SCORE", value: avgNectarScore(sessions) },
  ];
}

/** One entry per quality type for audio and video; one untyped entry for appshare. */
export function qualityByMedia(sessions: readonly SimSession[], media: MediaKind): QualityMetrics {
  const ofMedia = sessions.filter((s) => s.modality === MEDIA_MODALITY[media]);
  if (media === "appshare") return [{ qualityType: null, qualityMetrics: metrics(ofMedia) }];
  return QUALITY_TYPES.map((qualityType) => ({
    qualityType,
    qualityMetrics: metrics(ofMedia.filter((s) => s.qualityType === qualityType)),
  }));
}

/** The sessions by quality group, as every answer with counts gives them. */
export function countsOf(sessions: readonly SimSession[]) {
  const counts = { good: 0, average: 0, poor: 0, unknown: 0, all: sessions.length };
  for (const s of sessions) {
    if (s.quality === "GOOD") counts.good++;
    else if (s.quality === "AVERAGE") counts.average++;
    else if (s.quality === "CRITICAL") counts.poor++;
    else counts.unknown++;
  }
  return counts;
}

/** The items by key, in the order each key first appears. */
export function groupBy<K, T>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

export const MAX_BUCKETS = 10_000;

/** Buckets aligned to UTC hours or days, covering the window, empty ones included. */
export function histogram(sessions: readonly SimSession[], window: Window, interval: HistogramInterval): Histogram {
  const size = interval === "HOUR" ? HOUR_MS : DAY_MS;
  const first = Math.floor(window.from / size) * size;
  const n = Math.ceil((window.to - first) / size);
  if (n > MAX_BUCKETS)
    throw badRequest(PARAMS.interval, `the window holds ${n} ${interval} buckets; at most ${MAX_BUCKETS}`);
  const buckets = Array.from({ length: n }, () => [] as SimSession[]);
  for (const s of sessions) buckets[Math.floor((startMs(s) - first) / size)]!.push(s);
  // Dates in the time series carry no `Z`: the offset is in zoneOffset.
  return buckets.map((members, i) => ({
    startDate: noZone(first + i * size),
    endDate: noZone(first + (i + 1) * size),
    zoneOffset: "+00:00",
    sessions: { ...countsOf(members), avgNectarScore: avgNectarScore(members) },
  }));
}

export function qualityMap(sessions: readonly SimSession[]): QualityMap {
  return [...groupBy(sessions, (s) => s.user.location)]
    .sort(([a], [b]) => a.name.localeCompare(b.name))
    .map(([location, members]) => ({
      location: locationJson(location),
      sessions: countsOf(members),
      avgNectarScore: avgNectarScore(members),
    }));
}

export interface PinnedUser {
  displayName: string;
  email: string;
  location: string;
  sessionCount: number;
  sessionPoor: number;
  /** The score of the user's latest scored session. */
  nectarScore: number | null;
  nectarScoreAvg: number | null;
  lastSessionDate: string;
}

export const PINNED_USERS = 10;

/** The users with the most poor (CRITICAL) sessions in the window. */
export function pinnedUsers(sessions: readonly SimSession[]): PinnedUser[] {
  return [...groupBy(sessions, (s) => s.user.userId).values()]
    .map((members) => {
      const user = members[0]!.user;
      const latestScored = members.findLast((s) => s.nectarScore !== null);
      return {
        displayName: user.displayName,
        email: user.email,
        location: user.location.name,
        sessionCount: members.length,
        sessionPoor: members.filter((s) => s.quality === "CRITICAL").length,
        nectarScore: latestScored?.nectarScore ?? null,
        nectarScoreAvg: avgNectarScore(members),
        lastSessionDate: new Date(startMs(members[members.length - 1]!)).toISOString(),
      };
    })
    .sort((a, b) => b.sessionPoor - a.sessionPoor || b.sessionCount - a.sessionCount || a.email.localeCompare(b.email))
    .slice(0, PINNED_USERS);
}
