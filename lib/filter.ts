// The session filter: kept per MCP session by set_session_filter, applied by every
// session tool, overridable per call. One schema serves both.
import { z } from "zod";
import type { FilterQuery } from "./client/query.ts";
import { MODALITIES, PLATFORMS, QUALITIES, SESSION_SCENARIOS, SESSION_TYPES } from "./client/vocabulary.ts";
import { hasTime, instantSchema, type ResolvedWindow, resolveWindow, timePeriodSchema } from "./time.ts";

const names = z.array(z.string().trim().min(1).max(200)).min(1).max(50);

/** Fields a session tool accepts to override the saved filter for one call. */
export const filterShape = {
  timePeriod: timePeriodSchema.optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  platforms: z.array(z.enum(PLATFORMS)).min(1).optional(),
  modalities: z.array(z.enum(MODALITIES)).min(1).optional(),
  sessionTypes: z.array(z.enum(SESSION_TYPES)).min(1).optional(),
  sessionScenarios: z.array(z.enum(SESSION_SCENARIOS)).min(1).optional(),
  qualities: z.array(z.enum(QUALITIES)).min(1).optional().describe("CRITICAL = poor"),
  locations: names.optional().describe("location names or ids"),
  users: names.optional().describe("emails, names or ids"),
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
  return { filter: dropUndefined(filter), window: resolveWindow(filter, now), query };
}

/** "platforms TEAMS; qualities CRITICAL" or "none". */
export function describeFilter(filter: Partial<Record<ListKey, readonly string[]>>): string {
  const parts = LIST_KEYS.filter((key) => filter[key]?.length).map((key) => `${key} ${filter[key]!.join(",")}`);
  return parts.length ? parts.join("; ") : "none";
}

export const isEmptyFilter = (filter: SessionFilter): boolean => Object.keys(filter).length === 0;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
