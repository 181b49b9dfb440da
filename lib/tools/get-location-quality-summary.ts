import { z } from "zod";
import { defineTool, READS_DXP } from "./define.ts";
import { num, table } from "./render.ts";
import { appliedLine, appliedSchema, locationShape, qualityCounts, qualityCountsShape, scopedShape, scopeFor } from "./scope.ts";

const SORTS = ["poorPercent", "sessions", "avgNectarScore"] as const;

const rowSchema = z.object({
  ...locationShape,
  ...qualityCountsShape,
});

export default defineTool({
  name: "get_location_quality_summary",
  title: "Call quality by location",
  description:
    "Call quality per corporate location (site): sessions, good/average/poor counts, poor share and average Nectar score, worst first. Use to find which sites have bad calls, then drill in with the locations filter. Applies the session filter; arguments override it.",
  group: "locations",
  inputSchema: z.strictObject({
    ...scopedShape,
    sortBy: z.enum(SORTS).default("poorPercent"),
    limit: z.number().int().min(1).max(100).default(25),
  }),
  outputSchema: appliedSchema.extend({
    totalLocations: z.number(),
    sortBy: z.enum(SORTS),
    locations: z.array(rowSchema),
  }),
  annotations: READS_DXP,
  async handler(args, context) {
    const { client, query, applied, call } = await scopeFor(args, context);
    const answer = await client.qualityMap(query, call);
    const rows = answer.map(({ location, sessions, avgNectarScore }) => ({
      id: String(location.id),
      name: location.name,
      city: location.city ?? null,
      country: location.country ?? null,
      latitude: location.latitude ?? null,
      longitude: location.longitude ?? null,
      ...qualityCounts(sessions, avgNectarScore),
    }));
    const key = args.sortBy;
    // Worst first: most poor, most sessions, lowest score.
    rows.sort((a, b) => (key === "avgNectarScore" ? (a[key] ?? Infinity) - (b[key] ?? Infinity) : b[key] - a[key]));
    const shown = rows.slice(0, args.limit);
    const more = rows.length - shown.length;
    const text = [
      `Quality by location (${key === "avgNectarScore" ? "lowest score" : `most ${key === "sessions" ? "sessions" : "poor"}`} first). ${appliedLine(applied)}`,
      shown.length
        ? table(
            ["location", "country", "sessions", "poor", "poor %", "avg score"],
            shown.map((r) => [r.name, r.country, r.sessions, r.poor, `${r.poorPercent}%`, num(r.avgNectarScore)]),
          )
        : "No sessions at any location in this window.",
      more > 0 ? `${more} more locations not shown: raise limit (max 100).` : `${rows.length} locations.`,
    ].join("\n");
    return { data: { ...applied, totalLocations: rows.length, sortBy: key, locations: shown }, text };
  },
});
