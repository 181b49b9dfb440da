// Time windows as a model writes them: the DXP's named periods, relative spans
// ("24h", "7d", "30d") and RFC 3339 bounds with an offset; always resolved to an
// absolute UTC window that every answer echoes.
import { z } from "zod";
import { CUSTOM_TIME_PERIOD } from "./client/endpoints.ts";
import type { WindowQuery } from "./client/query.ts";
import { PERIOD_MS, TIME_PERIODS, type TimePeriod } from "./client/vocabulary.ts";
import { InputError } from "./errors.ts";
import { lazySchema } from "./lazy-schema.ts";

const HOUR = 3_600_000;
const UNIT_MS = { m: 60_000, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR } as const;
const SPAN = /^(\d{1,4})(m|h|d|w)$/;
/** The DXP keeps about this much history; longer windows are refused before any call. */
export const MAX_WINDOW_MS = 90 * 24 * HOUR;

export const timePeriodSchema = lazySchema(() =>
  z
    .string()
    .regex(new RegExp(`^(${TIME_PERIODS.join("|")}|\\d{1,4}[mhdw])$`), {
      error: `expected one of ${TIME_PERIODS.join(", ")}, or a span like 30m, 24h, 7d, 2w`,
    })
    // The pattern already lists the names: the description adds only what a span looks like.
    .describe("or a span: 24h, 7d"),
);

// Checked with a short regex and Date.parse rather than zod's ISO schema: the latter puts a
// 400-character pattern into every tool's published JSON Schema (context a model pays for).
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;
export const instantSchema = lazySchema(() =>
  z
    .string()
    .refine((value) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)), {
      error: "expected RFC 3339 with an offset, e.g. 2026-11-24T09:00:00Z",
    })
    // format date-time is RFC 3339; the offset requirement is the one thing it leaves open. Short: 8+ tools carry two of these.
    .meta({ format: "date-time", description: "with offset" }),
);

export interface TimeInput {
  timePeriod?: string;
  from?: string;
  to?: string;
}

export interface ResolvedWindow {
  /** What the user asked for: a period name, a span, or "custom". */
  label: string;
  from: Date;
  to: Date;
  /** What goes upstream. */
  query: WindowQuery;
}

export const DEFAULT_TIME_PERIOD: TimePeriod = "LAST_DAY";

/** True when the input names any time bound (then it replaces a saved window whole). */
export const hasTime = (input: TimeInput): boolean => Boolean(input.timePeriod || input.from || input.to);

export function resolveWindow(input: TimeInput, now: number): ResolvedWindow {
  if (input.from || input.to) {
    if (input.timePeriod) throw new InputError("Give either timePeriod or from/to, not both.");
    if (!input.from) throw new InputError("`to` needs a `from` as well (RFC 3339, e.g. 2026-11-24T09:00:00Z).");
    const from = new Date(input.from);
    const to = input.to ? new Date(input.to) : new Date(now);
    if (!(from < to))
      throw new InputError(`\`from\` (${from.toISOString()}) must be before \`to\` (${to.toISOString()}).`);
    checkLength(to.getTime() - from.getTime());
    return { label: "custom", from, to, query: { period: CUSTOM_TIME_PERIOD, from, to } };
  }
  const period = input.timePeriod ?? DEFAULT_TIME_PERIOD;
  if (period in PERIOD_MS) {
    const named = period as TimePeriod;
    return { label: named, from: new Date(now - PERIOD_MS[named]), to: new Date(now), query: { period: named } };
  }
  const match = SPAN.exec(period);
  if (!match)
    throw new InputError(
      `timePeriod "${period}" is not one of ${TIME_PERIODS.join(", ")} or a span like 24h, 7d, 30d.`,
    );
  const length = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (length <= 0) throw new InputError("timePeriod must be a span longer than zero, e.g. 24h.");
  checkLength(length);
  // Spans end on the current minute, so repeated questions ask the DXP the same thing.
  const to = new Date(Math.floor(now / 60_000) * 60_000);
  const from = new Date(to.getTime() - length);
  return { label: period, from, to, query: { period: CUSTOM_TIME_PERIOD, from, to } };
}

function checkLength(ms: number): void {
  if (ms > MAX_WINDOW_MS) throw new InputError("The time window is longer than 90 days; choose a shorter one.");
}

/** "2026-11-24 09:00 → 2026-11-25 09:00 UTC" */
export function formatWindow(window: { from: Date; to: Date }): string {
  return `${formatUtc(window.from)} → ${formatUtc(window.to)} UTC`;
}

export const formatUtc = (date: Date): string => date.toISOString().slice(0, 16).replace("T", " ");

/** The DXP sometimes leaves the `Z` off UTC dates: read them as UTC anyway. */
export function parseDxpDate(text: string): Date {
  return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`);
}

/** The period of the same length just before `window` (for "compared with the previous period"). */
export function previousWindow(window: { label: string; from: Date; to: Date }): ResolvedWindow {
  const length = window.to.getTime() - window.from.getTime();
  const from = new Date(window.from.getTime() - length);
  const to = new Date(window.from.getTime());
  return { label: `previous ${window.label}`, from, to, query: { period: CUSTOM_TIME_PERIOD, from, to } };
}

/** An instant as answers carry it: ISO-8601 UTC to the second (".000" costs a model tokens, says nothing). */
export const utcSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");
