import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";
import { formatWindow } from "../time.ts";
import {
  change,
  changeSchema,
  compareField,
  previousScope,
  previousWindowOf,
  previousWindowSchema,
} from "../tool-answers/compare.ts";
import { coverageOf, emptyNote } from "../tool-answers/data-extent.ts";
import { locationRow, locationShape } from "../tool-answers/location-shape.ts";
import { qualityCounts, qualityCountsShape } from "../tool-answers/quality-counts.ts";
import { num, signed, table } from "../tool-answers/render.ts";
import { worstFirst } from "../tool-answers/sample.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { appliedLine, appliedSchema, scopedShape, scopeFor } from "../tool-query/call-scope.ts";

const SORTS = ["poorPercent", "sessions", "avgNectarScore"] as const;

const rowSchema = lazySchema(() =>
  z.object({
    ...locationShape(),
    ...qualityCountsShape(),
    change: changeSchema().optional(),
  }),
);

export default defineTool({
  name: "get_location_quality_summary",
  title: "Call quality by location",
  description:
    "Call quality per site, worst first: sessions, good/average/poor, poor share, score. compareWithPreviousPeriod adds each site's change.",
  group: "locations",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      ...scopedShape(),
      sortBy: z.enum(SORTS).default("poorPercent"),
      limit: z.number().int().min(1).max(100).default(25),
      compareWithPreviousPeriod: compareField(),
    }),
  outputSchema: () =>
    appliedSchema().extend({
      totalLocations: z.number(),
      sortBy: z.enum(SORTS),
      locations: z.array(rowSchema()),
      previousWindow: previousWindowSchema().optional(),
    }),
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    const previous = args.compareWithPreviousPeriod ? previousScope(scope) : undefined;
    const [answer, before, coverage] = await Promise.all([
      client.qualityMap(query, call),
      previous && client.qualityMap(previous.query, call),
      coverageOf(scope, context, previous?.window),
    ]);
    const beforeById = new Map(
      before?.map((b) => [String(b.location.id), qualityCounts(b.sessions, b.avgNectarScore)]),
    );
    const rows = answer.map(({ location, sessions, avgNectarScore }) => ({
      ...locationRow(location),
      ...qualityCounts(sessions, avgNectarScore),
    }));
    const withChange = rows.map((row) => {
      if (!previous) return row;
      const old = beforeById.get(row.id) ?? { sessions: 0, poorPercent: 0, avgNectarScore: null };
      return {
        ...row,
        change: change(
          row,
          { sessions: old.sessions, poorPercent: old.poorPercent, avgNectarScore: old.avgNectarScore },
          coverage.previous.covered,
        ),
      };
    });
    const key = args.sortBy;
    // Worst first with a fair sample, as the breakdown ranks: highest poor share, most sessions
    // or lowest score (none last); a site under the minimum sample never outranks one over it.
    const badness = (r: (typeof rows)[number]) => (key === "avgNectarScore" ? -(r.avgNectarScore ?? Infinity) : r[key]);
    const { ranked: sorted, floor, unranked } = worstFirst(withChange, (r) => r.sessions, badness);
    const quality = key !== "sessions"; // by sessions, the sites under the floor come last anyway
    const shown = sorted.slice(0, args.limit);
    const more = sorted.length - shown.length;
    const header = ["location", "country", "sessions", "poor", "poor %", "avg score"];
    const text = [
      `Quality by location (${key === "avgNectarScore" ? "lowest score" : `most ${key === "sessions" ? "sessions" : "poor"}`} first${quality ? `; ranked only with ≥ ${floor} sessions` : ""}). ${appliedLine(applied)}`,
      ...(coverage.window && shown.length ? [coverage.window] : []),
      shown.length
        ? table(
            previous ? [...header, "Δ sessions", "Δ poor pts", "Δ score"] : header,
            shown.map((r) => {
              const cells = [
                quality && r.sessions < floor ? `${r.name} (too few)` : r.name,
                r.country,
                r.sessions,
                r.poor,
                `${r.poorPercent}%`,
                num(r.avgNectarScore),
              ];
              const c = "change" in r ? r.change : undefined;
              return c
                ? [...cells, signed(c.deltaSessions, 0), signed(c.deltaPoorPoints), signed(c.deltaScore)]
                : cells;
            }),
          )
        : await emptyNote(scope, context, coverage.extent),
      [
        more > 0 ? `${more} more locations not shown: raise limit (max 100).` : `${rows.length} locations.`,
        quality && unranked ? `${unranked} with fewer than ${floor} sessions not ranked.` : "",
      ]
        .filter(Boolean)
        .join(" "),
      ...(previous
        ? [
            `Δ = change vs the previous period (${formatWindow(previous.window)}).${coverage.previous.note ? ` ${coverage.previous.note}` : ""}`,
          ]
        : []),
    ].join("\n");
    const data = { ...applied, totalLocations: rows.length, sortBy: key, locations: shown };
    return { data: previous ? { ...data, previousWindow: previousWindowOf(previous.window) } : data, text };
  },
});
