// The session filter: kept per MCP session by set_session_filter, applied by every
// session tool, overridable per call. One schema serves both.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";
import { type FilterQuery, joinList } from "./client/query.ts";
import { type Dimension, DIMENSIONS, LIST_KEYS, type ListKey } from "./client/dimensions.ts";
import { SESSION_TYPE_SPELLINGS } from "./client/vocabulary.ts";
import { closest, didYouMean } from "./closest.ts";
import { hasTime, instantSchema, type ResolvedWindow, resolveWindow, timePeriodSchema } from "./time.ts";

const names = lazySchema(() => z.array(z.string().trim().min(1).max(200)).min(1).max(50));

/** An enum whose error names the closest accepted value: "unknown platform "TEMS". Did you mean TEAMS?" */
const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) => {
      const given = String(issue.input);
      return `unknown ${what} "${given.slice(0, 60)}".${didYouMean(closest(given, values, (v) => [v]))} Accepted: ${values.join(", ")}.`;
    },
  });

/** A dimension's field: its values (with the closest-match error) or free names; the hint once, on the filter's home. */
function dimensionField(key: ListKey) {
  const dimension: Dimension = DIMENSIONS[key];
  const list = dimension.values ? z.array(enumOf(dimension.values, dimension.one)).min(1) : names();
  return dimension.hint ? list.optional().describe(dimension.hint) : list.optional();
}

type ListFields = { [K in ListKey]: ReturnType<typeof dimensionField> };

/** The tool that keeps the filter: the one whose published schema describes its fields in full. */
export const FILTER_HOME = "set_session_filter";

/** The names of filterShape's fields, known without building it. */
export const FILTER_KEYS = ["timePeriod", "from", "to", ...LIST_KEYS] as const;

/** Fields a session tool accepts to override the saved filter for one call. */
export const filterShape = lazySchema(() => ({
  timePeriod: timePeriodSchema().optional(),
  from: instantSchema().optional(),
  to: instantSchema().optional(),
  ...(Object.fromEntries(LIST_KEYS.map((key) => [key, dimensionField(key)])) as ListFields),
}));

/** A list dimension's values: its vocabulary when it has one (each field keeps its own values), else free names. */
type ValuesOf<K extends ListKey> = (typeof DIMENSIONS)[K] extends { values: readonly (infer V)[] } ? V[] : string[];

/** The filter as set_session_filter keeps it. */
export type SessionFilter = { timePeriod?: string; from?: string; to?: string } & { [K in ListKey]?: ValuesOf<K> };

export { LIST_KEYS, type ListKey };

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
  for (const key of FILTER_KEYS) if (args[key] !== undefined) picked[key] = args[key];
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
export function describeFilter(filter: Partial<Record<ListKey, readonly string[]>> = {}): string {
  const parts = LIST_KEYS.filter((key) => filter[key]?.length).map((key) => `${key} ${joinList(filter[key]!)}`);
  return parts.length ? parts.join("; ") : "none";
}

export const isEmptyFilter = (filter: SessionFilter): boolean => Object.keys(filter).length === 0;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
