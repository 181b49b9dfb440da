// When an answer holds no sessions, say why: a window outside the data (with what the data
// covers and what "now" is), or a filter that matches nothing in a window that has data.
import { CUSTOM_TIME_PERIOD } from "../client/endpoints.ts";
import { TIME_PERIODS } from "../client/vocabulary.ts";
import { describeFilter } from "../filter.ts";
import { formatUtc, MAX_WINDOW_MS, parseDxpDate } from "../time.ts";
import type { ToolContext } from "../tool-kit/define.ts";
import type { Scope } from "../tool-query/call-scope.ts";

/**
 * For an empty answer only; at most one extra call: the last 90 days by day, same filter. A tool
 * that already read the data's extent (coverageOf) passes it and no request is added.
 */
export async function emptyNote(scope: Scope, context: ToolContext, known?: DataExtent | null): Promise<string> {
  const now = context.now();
  const nowText = `now is ${formatUtc(new Date(now))} UTC`;
  const from = Date.parse(scope.applied.window.from);
  const to = Date.parse(scope.applied.window.to);
  if (from >= now) return `No sessions: the window starts in the future (${nowText}).`;
  const filtered = scope.applied.filter !== undefined;
  // A named period ends now: with a filter, the filter is what matched nothing (no extra call).
  if (filtered && (TIME_PERIODS as readonly string[]).includes(scope.applied.window.label)) {
    return `No sessions match filter ${describeFilter(scope.applied.filter)} in the ${scope.applied.window.label} window (${nowText}).`;
  }
  const extent = known === undefined ? await dataExtent(scope, context) : known;
  const what = filtered ? `match filter ${describeFilter(scope.applied.filter)}` : `exist in tenant ${scope.tenant}`;
  if (!extent) return `No sessions ${what} in the last 90 days (${nowText}).`;
  const first = new Date(extent.first);
  const lastDay = new Date(extent.lastDay);
  const last = new Date(extent.dayEnd);
  const covers = `the data${filtered ? " for this filter" : ""} covers ${formatUtc(first).slice(0, 10)} → ${formatUtc(lastDay).slice(0, 10)} UTC; ${nowText}`;
  if (to <= first.getTime() || from >= last.getTime())
    return `No sessions: the window lies outside the data (${covers}).`;
  return `No sessions ${what} in this window (${covers}).`;
}

/** What the retained data covers for a scope's filter: its first and last day with sessions (the last 90 days by day, one request). */
export interface DataExtent {
  first: number;
  /** End of the last day with sessions, or now if sooner. */
  last: number;
  /** Start and end of the last day with sessions. */
  lastDay: number;
  dayEnd: number;
}

/** The extent's window ends at the next full hour: the same request for an hour, so the client's cache serves a tool's later calls. */
const HOUR_MS = 3_600_000;

export async function dataExtent(scope: Scope, context: ToolContext): Promise<DataExtent | null> {
  const now = context.now();
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  // The same filter over the last 90 days: every request of a call carries the call's filter.
  const days = await scope.client.histogram(
    {
      ...scope.query,
      window: { period: CUSTOM_TIME_PERIOD, from: new Date(to - MAX_WINDOW_MS), to: new Date(to) },
      interval: "DAY",
    },
    scope.call,
  );
  const withData = days.filter((d) => d.sessions.all > 0);
  if (!withData.length) return null;
  const lastDay = withData[withData.length - 1]!;
  const dayEnd = parseDxpDate(lastDay.endDate).getTime();
  return {
    first: parseDxpDate(withData[0]!.startDate).getTime(),
    last: Math.min(now, dayEnd),
    lastDay: parseDxpDate(lastDay.startDate).getTime(),
    dayEnd,
  };
}

/** The share (0–1) of a window that lies within the retained data. */
export function coveredShare(window: { from: number; to: number }, extent: DataExtent | null): number {
  if (!extent || window.to <= window.from) return 0;
  const overlap = Math.max(0, Math.min(window.to, extent.last) - Math.max(window.from, extent.first));
  return Math.min(1, overlap / (window.to - window.from));
}

/** A compared window must be at least this much covered by the data for a Δ to mean anything. */
export const MIN_COMPARED_COVERAGE = 0.8;

/**
 * "Only 23% of the previous period lies within the retained data (it starts 2025-05-13 00:00 UTC)."
 * (or "" when fully covered). filtered: the extent is that of the call's filter, and says so.
 */
export function coverageNote(what: string, share: number, extent: DataExtent | null, filtered = false): string {
  if (share >= 0.999) return "";
  const data = filtered ? "the data for this filter" : "the retained data";
  if (!extent) return `No data in the last 90 days covers the ${what}.`;
  if (share === 0) return `The ${what} lies outside ${data} (it starts ${formatUtc(new Date(extent.first))} UTC).`;
  return `Only ${Math.round(share * 100)}% of the ${what} lies within ${data} (it starts ${formatUtc(new Date(extent.first))} UTC).`;
}

/** Whether a compared window is covered enough for a Δ, and what to say when it is not (or is only partly). */
export function comparedCoverage(
  window: { from: Date; to: Date },
  extent: DataExtent | null,
  filtered = false,
): { covered: boolean; note: string } {
  const share = coveredShare({ from: window.from.getTime(), to: window.to.getTime() }, extent);
  const covered = share >= MIN_COMPARED_COVERAGE;
  const note = coverageNote("previous period", share, extent, filtered);
  return { covered, note: covered ? note : `No Δ: ${note}` };
}

export interface Coverage {
  /** undefined: the extent could not be read (emptyNote then reads it itself). */
  extent: DataExtent | null | undefined;
  /** What the answer says when its window reaches outside the data, else "". */
  window: string;
  /** With a compared period: whether a Δ means anything, and the note. */
  previous: { covered: boolean; note: string };
}

/**
 * Issue 20, item 1: every answer whose window (or compared window) reaches outside the retained
 * data says so. One request (the data's extent), meant to run beside the tool's own reads; its
 * extent serves emptyNote too, so an empty answer adds none.
 */
export async function coverageOf(
  scope: Scope,
  context: ToolContext,
  previous?: { from: Date; to: Date },
): Promise<Coverage> {
  let extent: DataExtent | null;
  try {
    extent = await dataExtent(scope, context);
  } catch (error) {
    // The note is beside the answer, not the answer: a DXP that cannot count days still answers the
    // tool's own reads (a cancelled call stays cancelled). Unknown is said, and gives no Δ.
    if (context.signal?.aborted) throw error;
    return {
      extent: undefined,
      window:
        "Coverage unknown: the DXP did not give its sessions per day, so whether this window lies within the retained data is not known.",
      previous: {
        covered: false,
        note: "No Δ: whether the previous period lies within the retained data is not known.",
      },
    };
  }
  const filtered = scope.applied.filter !== undefined;
  const share = coveredShare(
    { from: Date.parse(scope.applied.window.from), to: Date.parse(scope.applied.window.to) },
    extent,
  );
  return {
    extent,
    window: coverageNote("window", share, extent, filtered),
    previous: previous ? comparedCoverage(previous, extent, filtered) : { covered: true, note: "" },
  };
}
