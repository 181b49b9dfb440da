// The session filter: kept per MCP session by set_session_filter, applied by every
// session tool, overridable per call. One schema serves both.
import { z } from "zod";
import { type FilterQuery, joinList } from "./client/query.ts";
import { MODALITIES, PLATFORMS, QUALITIES, SESSION_SCENARIOS, SESSION_TYPE_SPELLINGS, SESSION_TYPES } from "./client/vocabulary.ts";
import { closest, didYouMean } from "./closest.ts";
import { hasTime, instantSchema, type ResolvedWindow, resolveWindow, timePeriodSchema } from "./time.ts";

const names = z.array(z.string().trim().min(1).max(200)).min(1).max(50);

/** An enum whose error names the closest accepted value: "unknown platform "TEMS". Did you mean TEAMS?" */
const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) => {
      const given = String(issue.input);
      return `unknown ${what} "${given.slice(0, 60)}".${didYouMean(closest(given, values, (v) => [v]))} Accepted: ${values.join(", ")}.`;
    },
  });

/** Fields a session tool accepts to override the saved filter for one call. */
export const filterShape = {
  timePeriod: timePeriodSchema.optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  platforms: z.array(enumOf(PLATFORMS, "platform")).min(1).optional(),
  modalities: z.array(enumOf(MODALITIES, "modality")).min(1).optional(),
  sessionTypes: z.array(enumOf(SESSION_TYPES, "session type")).min(1).optional().describe("PEER2PEER = PEER_TO_PEER"),
  sessionScenarios: z.array(enumOf(SESSION_SCENARIOS, "scenario")).min(1).optional(),
  qualities: z.array(enumOf(QUALITIES, "quality")).min(1).optional().describe("CRITICAL = poor"),
  locations: names.optional().describe("location names or ids"),
  users: names.optional().describe("emails, names or ids; either party"),
};

const filterSchema = z.object(filterShape);
export type SessionFilter = z.infer<typeof filterSchema>;

export const LIST_KEYS = ["platforms", "modalities", "sessionTypes", "sessionScenarios", "qualities", "locations", "users"] as const;
export type ListKey = (typeof LIST_KEYS)[number];

/** The call's filter: per-call fields win; any time field replaces the saved window whole. */
export function mergeFilter(saved: SessionFilter, overrides: SessionFilter): SessionFilter {
  const merged: SessionFilter = {};
  const time = hasTime(overrides) ? overrides : saved;
  if (time.timePeriod) merged.timePeriod = time.timePeriod;
  if (time.from) merged.from = time.from;
  if (time.to) merged.to = time.to;
  for (const key of LIST_KEYS) {
    const value = overrides[key] ?? saved[key];
    if (value) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** Only the filter fields of a tool's arguments. */
export function pickFilter(args: Record<string, unknown>): SessionFilter {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(filterShape)) if (args[key] !== undefined) picked[key] = args[key];
  return picked as SessionFilter;
}

export interface AppliedFilter {
  filter: SessionFilter;
  window: ResolvedWindow;
  query: FilterQuery;
}

/** Merge and resolve; `dimensions` limits which lists apply (e.g. endpoint tests know only locations). */
export function applyFilter(
  saved: SessionFilter,
  args: Record<string, unknown>,
  now: number,
  dimensions: readonly ListKey[] = LIST_KEYS,
): AppliedFilter {
  const merged = mergeFilter(saved, pickFilter(args));
  const filter: SessionFilter = { timePeriod: merged.timePeriod, from: merged.from, to: merged.to };
  const query: FilterQuery = {};
  for (const key of dimensions) {
    if (merged[key]) query[key] = filter[key] = merged[key] as never;
  }
  // The DXP spells two session types two ways: ask for both, report what was asked.
  if (query.sessionTypes) query.sessionTypes = [...new Set(query.sessionTypes.flatMap((t) => SESSION_TYPE_SPELLINGS[t] ?? [t]))];
  return { filter: dropUndefined(filter), window: resolveWindow(filter, now), query };
}

/** "platforms TEAMS; qualities CRITICAL" or "none". */
export function describeFilter(filter: Partial<Record<ListKey, readonly string[]>>): string {
  const parts = LIST_KEYS.filter((key) => filter[key]?.length).map((key) => `${key} ${joinList(filter[key]!)}`);
  return parts.length ? parts.join("; ") : "none";
}

export const isEmptyFilter = (filter: SessionFilter): boolean => Object.keys(filter).length === 0;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
