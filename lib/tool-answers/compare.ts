// "Compared with the previous period of the same length": the window before, and the
// changes in sessions, poor share and score, computed and worded one way for every tool.
import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";
import { formatWindow, previousWindow, utcSeconds } from "../time.ts";
import type { Scope } from "../tool-query/call-scope.ts";
import { num, signed } from "./render.ts";

/** No description: the name says it, and every tool that has it pays for one in tools/list. */
export const compareField = lazySchema(() => z.boolean().default(false));

export interface Figures {
  sessions: number;
  poorPercent: number;
  avgNectarScore: number | null;
}

/** The previous period's figures and the changes (the window itself is given once, as previousWindow). */
export const changeSchema = lazySchema(() =>
  z.object({
    sessions: z.number(),
    poorPercent: z.number(),
    avgNectarScore: z.number().nullable(),
    deltaSessions: z.number().nullable().describe("null: the previous period lies mostly outside the data"),
    deltaPoorPoints: z.number().nullable().describe("percentage points"),
    deltaScore: z.number().nullable(),
  }),
);
export type Change = z.infer<ReturnType<typeof changeSchema>>;

export const previousWindowSchema = lazySchema(() => z.object({ from: z.string(), to: z.string() }).describe("UTC"));
export const previousWindowOf = (window: { from: Date; to: Date }) => ({
  from: utcSeconds(window.from),
  to: utcSeconds(window.to),
});

/** The scope's query moved to the previous window, and that window. */
export function previousScope(scope: Scope) {
  const window = previousWindow({
    label: scope.applied.window.label,
    from: new Date(scope.applied.window.from),
    to: new Date(scope.applied.window.to),
  });
  return { window, query: { ...scope.query, window: window.query } };
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10) / 10);

/** The changes; all null when the previous period is not covered by the data (data-extent.ts, coverageOf). */
export function change(current: Figures, previous: Figures, covered = true): Change {
  return {
    sessions: previous.sessions,
    poorPercent: previous.poorPercent,
    avgNectarScore: previous.avgNectarScore,
    deltaSessions: covered ? current.sessions - previous.sessions : null,
    deltaPoorPoints: covered ? (delta(current.poorPercent, previous.poorPercent) ?? 0) : null,
    deltaScore: covered ? delta(current.avgNectarScore, previous.avgNectarScore) : null,
  };
}

/** "vs previous LAST_WEEK (…): sessions 790 → 812 (+22) · poor 12.1% → 16.4% (+4.3 pts) · score 80.1 → 76.2 (−3.9)" */
export function changeLine(current: Figures, c: Change, window: { from: Date; to: Date }, note = ""): string {
  if (c.deltaSessions === null)
    return `vs previous period (${formatWindow(window)}): ${note || "No Δ: the previous period lies outside the data."}`;
  return (
    `vs previous period (${formatWindow(window)}): sessions ${c.sessions} → ${current.sessions} (${signed(c.deltaSessions, 0)}) · ` +
    `poor ${c.poorPercent}% → ${current.poorPercent}% (${signed(c.deltaPoorPoints, 1, " pts")}) · ` +
    `score ${num(c.avgNectarScore)} → ${num(current.avgNectarScore)} (${signed(c.deltaScore)})` +
    (note ? ` ${note}` : "")
  );
}
