import { z } from "zod";
import { CUSTOM_TIME_PERIOD } from "../client/endpoints.ts";
import type { GroupQuality } from "../client/schemas.ts";
import { canonicalSessionType } from "../client/vocabulary.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc, formatWindow, MAX_WINDOW_MS, parseDxpDate, utcSeconds } from "../time.ts";
import {
  change,
  changeSchema,
  compareField,
  previousScope,
  previousWindowOf,
  previousWindowSchema,
} from "../tool-answers/compare.ts";
import { coverageOf, emptyNote } from "../tool-answers/data-extent.ts";
import { num, percentOf, round, signed, table } from "../tool-answers/render.ts";
import { minSample, worstFirst } from "../tool-answers/sample.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { BY, BY_DIMENSIONS } from "../tool-query/breakdown-by.ts";
import { appliedLine, appliedSchema, scopeArgs, scopedShape, scopeFor } from "../tool-query/call-scope.ts";
import { drillShape } from "../tool-query/drill.ts";

const groupRow = lazySchema(() =>
  z.object({
    name: z.string(),
    label: z.string().nullable(),
    sessions: z.number(),
    poor: z.number(),
    poorPercent: z.number(),
    avgNectarScore: z.number().nullable(),
    avgJitterMs: z.number().nullable(),
    avgPacketLossPct: z.number().nullable(),
    avgRoundTripMs: z.number().nullable(),
    firstSeen: z
      .string()
      .nullable()
      .describe("UTC: the group's first session in the retained data (last 90 days, same filter), not in the window"),
    ranked: z.boolean().describe("false: fewer sessions than minSessions"),
    change: changeSchema().optional(),
  }),
);
type Row = z.infer<ReturnType<typeof groupRow>>;

/** Weighted by session count: groups the DXP spells two ways (PEER2PEER / PEER_TO_PEER) become one. */
function merge(groups: readonly GroupQuality[], rename: (name: string) => string): GroupQuality[] {
  const merged = new Map<string, GroupQuality>();
  const weighted = (a: number | null | undefined, na: number, b: number | null | undefined, nb: number) =>
    a == null ? (b ?? null) : b == null ? a : (a * na + b * nb) / (na + nb);
  for (const g of groups) {
    const name = rename(g.name);
    const old = merged.get(name);
    if (!old) {
      merged.set(name, { ...g, name });
      continue;
    }
    const na = old.sessions.all;
    const nb = g.sessions.all;
    merged.set(name, {
      ...old,
      sessions: {
        good: old.sessions.good + g.sessions.good,
        average: old.sessions.average + g.sessions.average,
        poor: old.sessions.poor + g.sessions.poor,
        unknown: old.sessions.unknown + g.sessions.unknown,
        all: na + nb,
      },
      avgNectarScore: weighted(old.avgNectarScore, na, g.avgNectarScore, nb),
      avgJitter: weighted(old.avgJitter, na, g.avgJitter, nb),
      avgPacketLoss: weighted(old.avgPacketLoss, na, g.avgPacketLoss, nb),
      avgRoundTripDelay: weighted(old.avgRoundTripDelay, na, g.avgRoundTripDelay, nb),
      firstSessionDate: [old.firstSessionDate, g.firstSessionDate].filter(Boolean).sort()[0] ?? null,
    });
  }
  return [...merged.values()];
}

const rowOf = (g: GroupQuality, min: number): Omit<Row, "change"> => ({
  name: g.name,
  label: g.label ?? null,
  sessions: g.sessions.all,
  poor: g.sessions.poor,
  poorPercent: percentOf(g.sessions.poor, g.sessions.all),
  avgNectarScore: round(g.avgNectarScore, 1),
  avgJitterMs: round(g.avgJitter, 1),
  avgPacketLossPct: round(g.avgPacketLoss, 2),
  avgRoundTripMs: round(g.avgRoundTripDelay, 0),
  firstSeen: g.firstSessionDate ? utcSeconds(parseDxpDate(g.firstSessionDate)) : null,
  ranked: g.sessions.all >= min,
});

export default defineTool({
  name: "get_quality_breakdown",
  title: "Why: quality by dimension",
  description:
    "Why calls were poor: sessions split by one dimension with poor share, score, jitter, loss and RTT, worst first.",
  group: "sessions",
  annotations: READS_DXP,
  // Every filter field, as on every session tool; the singular aliases of earlier hints too.
  inputSchema: () =>
    z.strictObject({
      by: z.enum(BY).default("networkType"),
      ...scopedShape(),
      ...drillShape(),
      minSessions: z.number().int().min(1).max(100_000).optional().describe("default ¼ of the mean group, ≥ 5"),
      limit: z.number().int().min(1).max(100).default(10),
      compareWithPreviousPeriod: compareField(),
    }),
  outputSchema: () =>
    appliedSchema().extend({
      by: z.string(),
      minSessions: z.number(),
      totalGroups: z.number(),
      groups: z.array(groupRow()),
      previousWindow: previousWindowSchema().optional(),
    }),
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    const dimension = BY_DIMENSIONS[args.by];
    const ask = (q: typeof query) => client.sessionBreakdown({ ...q, groupBy: dimension.upstream }, call);
    const previous = args.compareWithPreviousPeriod ? previousScope(scope) : undefined;
    const rename = args.by === "sessionType" ? canonicalSessionType : (name: string) => name;
    // First seen is when a group first appears in the retained data, not in the window: the same
    // breakdown over the last 90 days (one request, every dimension). Beside it the data's extent
    // (one request): whether the window and the previous period lie within the retained data.
    const retained = {
      period: CUSTOM_TIME_PERIOD,
      from: new Date(context.now() - MAX_WINDOW_MS),
      to: new Date(context.now()),
    } as const;
    const [now, before, coverage, history] = await Promise.all([
      ask(query),
      previous && ask(previous.query),
      coverageOf(scope, context, previous?.window),
      ask({ ...query, window: retained }),
    ]);
    const firstSeen = new Map(merge(history, rename).map((g) => [g.name, g.firstSessionDate]));
    const groups = merge(now, rename);
    const min = args.minSessions ?? minSample(groups.map((g) => g.sessions.all));
    const beforeByName = new Map(merge(before ?? [], rename).map((g) => [g.name, rowOf(g, min)]));
    const unsorted: Row[] = groups
      .map((g) => rowOf({ ...g, firstSessionDate: firstSeen.get(g.name) ?? g.firstSessionDate }, min))
      .map((row) => {
        if (!previous) return row;
        const old = beforeByName.get(row.name) ?? { sessions: 0, poorPercent: 0, avgNectarScore: null };
        return { ...row, change: change(row, old, coverage.previous.covered) };
      });
    const {
      ranked: rows,
      worst,
      unranked,
    } = worstFirst(
      unsorted,
      (r) => r.sessions,
      (r) => r.poorPercent,
      min,
    );
    const shown = rows.slice(0, args.limit);
    const nameOf = (r: Row) => (r.label ? `${r.label} (${r.name})` : r.name);
    const header = [args.by, "sessions", "poor %", "avg score", "jitter ms", "loss %", "RTT ms"];
    if (args.by === "clientVersion") header.push("first seen");
    if (previous) header.push("Δ poor pts", "Δ score");
    const text = [
      `Quality by ${args.by}, worst poor share first; ranked only with ≥ ${min} sessions. ${appliedLine(applied)}`,
      // Issue 20, item 4: a user's devices are theirs, as get_user_summary counts them.
      dimension.leg && applied.filter?.users
        ? `Each session counted on the ${args.by} of the filtered users' own leg, not the other party's.`
        : "",
      rows.length ? coverage.window : "",
      rows.length
        ? table(
            header,
            shown.map((r) => [
              `${nameOf(r)}${r.ranked ? "" : " (too few)"}`,
              r.sessions,
              `${r.poorPercent}%`,
              num(r.avgNectarScore),
              num(r.avgJitterMs),
              num(r.avgPacketLossPct, 2),
              num(r.avgRoundTripMs, 0),
              ...(args.by === "clientVersion"
                ? [r.firstSeen ? formatUtc(new Date(r.firstSeen)).slice(0, 10) : null]
                : []),
              ...(r.change ? [signed(r.change.deltaPoorPoints), signed(r.change.deltaScore)] : []),
            ]),
          )
        : await emptyNote(scope, context, coverage.extent),
      [
        rows.length > shown.length
          ? `${rows.length - shown.length} more groups: raise limit.`
          : `${rows.length} groups.`,
        unranked ? `${unranked} with fewer than ${min} sessions not ranked.` : "",
        previous
          ? `Δ vs ${formatWindow(previous.window)}.${coverage.previous.note ? ` ${coverage.previous.note}` : ""}`
          : "",
      ]
        .filter(Boolean)
        .join(" "),
      worst && dimension.narrow
        ? `Next: get_detailed_session_list with ${scopeArgs(scope, { [dimension.narrow]: [worst.name], qualities: ["CRITICAL"] })} for example sessions, or another by within it.`
        : "",
    ]
      .filter(Boolean)
      .join("\n");
    return {
      data: {
        ...applied,
        by: args.by,
        minSessions: min,
        totalGroups: rows.length,
        groups: shown,
        ...(previous ? { previousWindow: previousWindowOf(previous.window) } : {}),
      },
      text,
    };
  },
});
