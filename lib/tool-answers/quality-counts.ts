// Session counts by quality with the poor share and score, as per-location and per-bucket rows carry them.
import { z } from "zod";
import type { BucketCounts } from "../client/schemas.ts";
import { lazySchema } from "../lazy-schema.ts";
import { percentOf, round } from "./render.ts";

/** Session counts by quality with the poor share and score: a location's or a time bucket's. */
export const qualityCountsShape = lazySchema(() => ({
  sessions: z.number(),
  good: z.number(),
  average: z.number(),
  poor: z.number(),
  unknown: z.number(),
  poorPercent: z.number(),
  avgNectarScore: z.number().nullable(),
}));

/** Fill qualityCountsShape from the DXP's `{ good, average, poor, unknown, all }`. */
export const qualityCounts = (counts: BucketCounts, avgNectarScore: number | null | undefined) => ({
  sessions: counts.all,
  good: counts.good,
  average: counts.average,
  poor: counts.poor,
  unknown: counts.unknown,
  poorPercent: percentOf(counts.poor, counts.all),
  avgNectarScore: round(avgNectarScore, 1),
});
