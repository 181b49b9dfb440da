// "What changed, and when?" in one call: for each dimension of a call, the groups whose poor
// share rose against the previous period get a series each, and the run of bad buckets in
// it is a spike (start and end) or a step (ongoing); against the previous period, the groups
// that account for most of the change in the poor share, split into mix (more or fewer of
// the group's calls) and rate (the group's own poor share moved). It composes the breakdown
// and the histogram; its requests are counted and bounded (MAX_REQUESTS).
import { z } from "zod";
import type { GroupQuality } from "../client/schemas.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc, formatWindow, parseDxpDate, utcSeconds } from "../time.ts";
import { previousScope, previousWindowOf, previousWindowSchema } from "../tool-answers/compare.ts";
import { coverageNote, coveredShare, dataExtent, MIN_COMPARED_COVERAGE } from "../tool-answers/data-extent.ts";
import { percentOf, round, signed, table } from "../tool-answers/render.ts";
import {
  badThreshold,
  bestStep,
  lowestThirdShare,
  MIN_BUCKET_POOR,
  MIN_BUCKET_SESSIONS,
  RUN_MIN_POINTS,
  worstRun,
} from "../tool-answers/runs.ts";
import { minSample } from "../tool-answers/sample.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { BY_DIMENSIONS, type By, onlyGroup } from "../tool-query/breakdown-by.ts";
import { appliedLine, appliedSchema, scopedShape, scopeFor } from "../tool-query/call-scope.ts";
import { INTERVAL_MS } from "./get-session-histogram.ts";

/** The breakdown dimensions scanned for changes (breakdown-by.ts names them; not the filter DIMENSIONS of client/dimensions.ts). */
const SCANNED_BY = [
  "carrier",
  "location",
  "networkType",
  "device",
  "clientVersion",
  "platform",
  "sessionScenario",
  "server",
] as const satisfies readonly By[];
/** Groups per dimension that get a series, and series in all. */
const PER_DIMENSION = 3;
const MAX_SERIES = 12;
/** A group gets a series only with at least this many poor calls above its previous share. */
const MIN_EXCESS = 8;
/** Two breakdowns per dimension, the coverage read, the series. */
export const MAX_REQUESTS = 2 * SCANNED_BY.length + 1 + MAX_SERIES;
const SHOWN_FACTORS = 6;
/** A step, and the calm after a spike, need this many sessions to count. */
const MIN_STEP_SESSIONS = 10;

const eventSchema = lazySchema(() =>
  z.object({
    dimension: z.string(),
    group: z.string(),
    kind: z.enum(["spike", "step"]),
    start: z.string().describe("UTC"),
    end: z.string().nullable().describe("null: ongoing"),
    sessions: z.number(),
    poorPercentDuring: z.number(),
    poorPercentBefore: z.number(),
    shareOfPoorPercent: z.number().describe("excess poor calls / all poor calls in the window"),
  }),
);

const factorSchema = lazySchema(() =>
  z.object({
    dimension: z.string(),
    group: z.string(),
    points: z.number().describe("of the change in poor %"),
    mixPoints: z.number(),
    ratePoints: z.number(),
    shareOfChangePercent: z.number(),
  }),
);

type Counts = { sessions: number; poor: number };
const countsOf = (g: GroupQuality): Counts => ({ sessions: g.sessions.all, poor: g.sessions.poor });
const totalOf = (groups: readonly Counts[]) =>
  groups.reduce((t, g) => ({ sessions: t.sessions + g.sessions, poor: t.poor + g.poor }), { sessions: 0, poor: 0 });
const share = (c: Counts | undefined) => (c?.sessions ? c.poor / c.sessions : 0);

/** Mix and rate of each group: Σ over a dimension's groups of mix + rate is the change in the poor share (midpoint weights). */
function decompose(now: Map<string, Counts>, before: Map<string, Counts>) {
  const totalNow = totalOf([...now.values()]);
  const totalBefore = totalOf([...before.values()]);
  const mean = (share(totalNow) + share(totalBefore)) / 2;
  return [...new Set([...now.keys(), ...before.keys()])].map((group) => {
    const a = now.get(group);
    const b = before.get(group);
    // A group in one period only keeps its one share: all of its effect is mix.
    const pa = a?.sessions ? share(a) : share(b);
    const pb = b?.sessions ? share(b) : share(a);
    const wa = totalNow.sessions ? (a?.sessions ?? 0) / totalNow.sessions : 0;
    const wb = totalBefore.sessions ? (b?.sessions ?? 0) / totalBefore.sessions : 0;
    return { group, mix: 100 * (wa - wb) * ((pa + pb) / 2 - mean), rate: 100 * ((wa + wb) / 2) * (pa - pb) };
  });
}

export default defineTool({
  name: "find_quality_changes",
  title: "What changed and when: spikes, steps and their causes",
  description: `What changed in call quality, in one call: spikes and steps in the poor share per carrier, site, network type, device, client version, platform, scenario and server (start, end, sessions), and the factors of the change vs the previous period (mix vs rate). Default window LAST_WEEK; at most ${MAX_REQUESTS} DXP requests.`,
  group: "sessions",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      timePeriod: scopedShape().timePeriod,
      from: scopedShape().from,
      to: scopedShape().to,
      platforms: scopedShape().platforms,
      locations: scopedShape().locations,
      filterId: scopedShape().filterId,
      tenant: scopedShape().tenant,
    }),
  outputSchema: () =>
    appliedSchema().extend({
      interval: z.enum(["HOUR", "DAY"]),
      events: z.array(eventSchema()),
      previousWindow: previousWindowSchema(),
      change: z
        .object({
          poorPercentBefore: z.number(),
          poorPercent: z.number(),
          deltaPoorPoints: z.number(),
          factors: z.array(factorSchema()),
        })
        .nullable()
        .describe("null: the previous period is not covered by the data"),
      coverage: z.object({ dataFrom: z.string().nullable(), windowPercent: z.number(), previousPercent: z.number() }),
      requests: z.number().describe("DXP reads (the answer cache may serve some)"),
    }),
  async handler(args, context) {
    const scope = await scopeFor({ timePeriod: args.from || args.to ? undefined : "LAST_WEEK", ...args }, context);
    const { client, query, applied, call } = scope;
    const window = { from: Date.parse(applied.window.from), to: Date.parse(applied.window.to) };
    const previous = previousScope(scope);
    const span = window.to - window.from;
    const interval: "HOUR" | "DAY" = span <= 8 * INTERVAL_MS.DAY ? "HOUR" : "DAY";
    let requests = 1;
    const extent = await dataExtent(scope, context);
    const windowShare = coveredShare(window, extent);
    const previousShare = coveredShare(
      { from: previous.window.from.getTime(), to: previous.window.to.getTime() },
      extent,
    );
    const compared = previousShare >= MIN_COMPARED_COVERAGE;

    // Stage 1: each dimension's groups now and (when covered) before, in parallel.
    const breakdown = (by: By, q: typeof query) =>
      client.sessionBreakdown({ ...q, groupBy: BY_DIMENSIONS[by].upstream }, call);
    const [nowGroups, beforeGroups] = await Promise.all([
      Promise.all(SCANNED_BY.map((by) => breakdown(by, query))),
      compared
        ? Promise.all(SCANNED_BY.map((by) => breakdown(by, previous.query)))
        : Promise.resolve(SCANNED_BY.map(() => [] as GroupQuality[])),
    ]);
    requests += SCANNED_BY.length * (compared ? 2 : 1);
    const total = totalOf(
      nowGroups[0]!.length
        ? nowGroups
            .map((g) => totalOf(g.map(countsOf)))
            .sort((a, b) => b.sessions - a.sessions)
            .slice(0, 1)
        : [],
    );
    const totalBefore = compared
      ? totalOf(
          beforeGroups
            .map((g) => totalOf(g.map(countsOf)))
            .sort((a, b) => b.sessions - a.sessions)
            .slice(0, 1),
        )
      : undefined;

    // Candidates: the groups with the most poor calls above their previous share (else the rest of their dimension's).
    const candidates = SCANNED_BY.flatMap((by, d) => {
      const groups = nowGroups[d]!;
      const before = new Map(beforeGroups[d]!.map((g) => [g.name, countsOf(g)]));
      const min = minSample(groups.map((g) => g.sessions.all));
      const all = totalOf(groups.map(countsOf));
      return groups
        .filter((g) => g.sessions.all >= min)
        .map((g) => {
          const was = before.get(g.name);
          const rest = { sessions: all.sessions - g.sessions.all, poor: all.poor - g.sessions.poor };
          const reference = was && was.sessions >= min ? share(was) : share(rest);
          const excess = g.sessions.poor - g.sessions.all * reference;
          return { by, name: g.name, reference, excess, rise: excess / g.sessions.all };
        })
        .filter((c) => c.excess >= MIN_EXCESS)
        .sort((a, b) => b.excess - a.excess)
        .slice(0, PER_DIMENSION)
        .map((c, rank) => ({ ...c, rank }));
    })
      // Every dimension's first candidate before any second one: a broad group's change must not crowd out a trunk.
      // Among the seconds and thirds, the largest rise of the group's own poor share first: a few hours' spike
      // in a mid-size site (New York's ISP, 10 pts over its week) before a broad group's drift (2 pts over thousands).
      .sort((a, b) => a.rank - b.rank || (a.rank ? b.rise - a.rise : b.excess - a.excess))
      .slice(0, MAX_SERIES);

    // Stage 2: one series per candidate, in parallel; the run of bad buckets in each.
    const series = await Promise.all(
      candidates.map((c) => client.histogram({ ...query, ...onlyGroup(c.by, c.name), interval }, call)),
    );
    requests += candidates.length;
    const step = INTERVAL_MS[interval];
    const events = candidates
      .map((c, i) => {
        const points = series[i]!.map((b) => ({
          start: parseDxpDate(b.startDate).getTime(),
          sessions: b.sessions.all,
          poor: b.sessions.poor,
        }));
        const usual = Math.min(lowestThirdShare(points), c.reference);
        const run = worstRun(points, usual);
        const lasting = bestStep(points, usual, MIN_STEP_SESSIONS);
        // A step lasts to the end of the window for a day or more; a spike is a run of bad buckets.
        // A spike followed by quiet hours (a weekend) pools like a step: a step stays bad after its worst run, a spike recovers.
        const after = run
          ? points
              .slice(run.last + 1)
              .reduce((t, p) => ({ sessions: t.sessions + p.sessions, poor: t.poor + p.poor }), {
                sessions: 0,
                poor: 0,
              })
          : undefined;
        // Recovered means back near the usual share (below halfway to the bad threshold), not just under the threshold.
        const recovered =
          after !== undefined &&
          after.sessions >= MIN_STEP_SESSIONS &&
          after.poor / after.sessions < (usual + badThreshold(usual)) / 2;
        const isStep =
          lasting !== undefined &&
          points.length - lasting.first >= INTERVAL_MS.DAY / step &&
          !recovered &&
          lasting.excess >= (run?.excess ?? 0);
        const found = isStep ? { ...lasting, last: points.length - 1 } : run;
        if (!found || found.excess < MIN_EXCESS) return undefined;
        return {
          dimension: c.by,
          group: c.name,
          kind: isStep ? ("step" as const) : ("spike" as const),
          start: utcSeconds(new Date(points[found.first]!.start)),
          end: isStep ? null : utcSeconds(new Date(points[found.last]!.start + step)),
          sessions: found.sessions,
          poorPercentDuring: percentOf(found.poor, found.sessions),
          poorPercentBefore: round(100 * usual, 1) ?? 0,
          shareOfPoorPercent: percentOf(found.excess, total.poor),
          excess: found.excess,
        };
      })
      .filter((e) => e !== undefined)
      .sort((a, b) => b.excess - a.excess)
      .map(({ excess: _e, ...e }) => e);

    // Against the previous period: per dimension, each group's part of the change (its mix + rate).
    const change =
      compared && totalBefore
        ? (() => {
            const delta = 100 * (share(total) - share(totalBefore));
            const factors = SCANNED_BY.flatMap((by, d) =>
              decompose(
                new Map(nowGroups[d]!.map((g) => [g.name, countsOf(g)])),
                new Map(beforeGroups[d]!.map((g) => [g.name, countsOf(g)])),
              ).map((f) => ({
                dimension: by,
                group: f.group,
                points: round(f.mix + f.rate, 2) ?? 0,
                mixPoints: round(f.mix, 2) ?? 0,
                ratePoints: round(f.rate, 2) ?? 0,
                shareOfChangePercent: delta ? (round((100 * (f.mix + f.rate)) / delta, 0) ?? 0) : 0,
              })),
            )
              .filter((f) => Math.sign(f.points) === Math.sign(delta) && f.points !== 0)
              .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
              .slice(0, SHOWN_FACTORS);
            return {
              poorPercentBefore: percentOf(totalBefore.poor, totalBefore.sessions),
              poorPercent: percentOf(total.poor, total.sessions),
              deltaPoorPoints: round(delta, 1) ?? 0,
              factors,
            };
          })()
        : null;

    const rule =
      `A group gets ${interval === "HOUR" ? "an hourly" : "a daily"} series when it has ≥ ${MIN_EXCESS} poor calls above its previous share (top ${PER_DIMENSION} per dimension, ≥ the dimension's minimum sample; past each dimension's first, the largest rise in its own poor share first); ` +
      `a bucket is bad at ≥ twice the usual poor share and ≥ ${RUN_MIN_POINTS} pts above it, with ≥ ${MIN_BUCKET_SESSIONS} sessions and ≥ ${MIN_BUCKET_POOR} poor (the usual share: the lowest pooled poor share of the window's three thirds, at most the previous period's); a run's edge buckets, quiet ones too, are those whose poor count is likelier at the run's pooled share than at the usual (likelihood ratio); a step is a day or more to the window's end whose pooled poor share is bad.`;
    const when = (iso: string | null) => (iso ? formatUtc(new Date(iso)) : "ongoing");
    const notes = [
      coverageNote("window", windowShare, extent),
      compared ? "" : coverageNote("previous period", previousShare, extent),
    ].filter(Boolean);
    const text = [
      `Quality changes, worst first. ${appliedLine(applied)}`,
      ...notes,
      events.length
        ? table(
            ["dimension", "group", "kind", "start UTC", "end UTC", "sessions", "poor % during", "usual", "of all poor"],
            events.map((e) => [
              e.dimension,
              e.group,
              e.kind,
              when(e.start),
              when(e.end),
              e.sessions,
              `${e.poorPercentDuring}%`,
              `${e.poorPercentBefore}%`,
              `${e.shareOfPoorPercent}%`,
            ]),
          )
        : `No spike or step: no group's poor share stood out (of ${total.sessions} sessions, ${percentOf(total.poor, total.sessions)}% poor).`,
      events.length
        ? "Rows at the same hours are likely one event seen through several dimensions; the smallest group with the highest poor share is its likeliest cause."
        : "",
      change
        ? `vs previous period (${formatWindow(previous.window)}): poor ${change.poorPercentBefore}% → ${change.poorPercent}% (${signed(change.deltaPoorPoints, 1, " pts")}). What accounts for it (mix: more or fewer of the group's calls; rate: its own poor share moved; each dimension's groups add up to the change):\n` +
          table(
            ["dimension", "group", "pts", "of change", "mix", "rate"],
            change.factors.map((f) => [
              f.dimension,
              f.group,
              signed(f.points, 2),
              `${f.shareOfChangePercent}%`,
              signed(f.mixPoints, 2),
              signed(f.ratePoints, 2),
            ]),
          )
        : `No comparison with the previous period (${formatWindow(previous.window)}): the data covers ${Math.round(previousShare * 100)}% of it, under ${MIN_COMPARED_COVERAGE * 100}%.`,
      `How: ${rule} ${requests} DXP reads (at most ${MAX_REQUESTS}; the answer cache may serve some).`,
    ]
      .filter(Boolean)
      .join("\n");
    return {
      data: {
        ...applied,
        interval,
        events,
        previousWindow: previousWindowOf(previous.window),
        change,
        coverage: {
          dataFrom: extent ? utcSeconds(new Date(extent.first)) : null,
          windowPercent: Math.round(windowShare * 100),
          previousPercent: Math.round(previousShare * 100),
        },
        requests,
      },
      text,
    };
  },
});
