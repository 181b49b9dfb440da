// The session filter: kept per MCP session by set_session_filter, applied by every
// session tool, overridable per call. One schema serves both.
import { z } from "zod";
import { DIMENSIONS, type Dimension, DRILL_KEYS, LIST_KEYS, type ListKey } from "./client/dimensions.ts";
import { type FilterQuery, joinList } from "./client/query.ts";
import { SESSION_TYPE_SPELLINGS, VALUE_MEANINGS } from "./client/vocabulary.ts";
import { closest, didYouMean } from "./closest.ts";
import { lazySchema } from "./lazy-schema.ts";
import { hasTime, instantSchema, type ResolvedWindow, resolveWindow, timePeriodSchema } from "./time.ts";

const names = lazySchema(() => z.array(z.string().trim().min(1).max(200)).min(1).max(50));

/**
 * An enum whose error names the closest accepted value, by spelling or by meaning (vocabulary.ts
 * VALUE_MEANINGS): "unknown platform "TEMS". Did you mean TEAMS?", "unknown quality "poor". Did you mean CRITICAL?"
 */
const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) => {
      const given = String(issue.input);
      return `unknown ${what} "${given.slice(0, 60)}".${didYouMean(closest(given, values, (v) => [v, ...(VALUE_MEANINGS[v] ?? [])]))} Accepted: ${values.join(", ")}.`;
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
export const FILTER_KEYS = ["timePeriod", "from", "to", ...LIST_KEYS, "exclude"] as const;

/**
 * Exclusion, one mechanism for every dimension: the fields named in `exclude` leave their
 * values out instead of keeping only them. One short list in tools/list, not a second copy of
 * every field (issue 20, item 3; the cost is in docs/tool-schemas.md).
 */
const excludeField = lazySchema(() =>
  z
    .array(enumOf(LIST_KEYS as unknown as [ListKey, ...ListKey[]], "filter field"))
    .min(1)
    .optional()
    .describe('fields whose values are left out: locations ["Dallas"], exclude ["locations"] = all but Dallas'),
);

/** Fields a session tool accepts to override the saved filter for one call. */
export const filterShape = lazySchema(() => ({
  timePeriod: timePeriodSchema().optional(),
  from: instantSchema().optional(),
  to: instantSchema().optional(),
  ...(Object.fromEntries(LIST_KEYS.map((key) => [key, dimensionField(key)])) as ListFields),
  exclude: excludeField(),
}));

/** A list dimension's values: its vocabulary when it has one (each field keeps its own values), else free names. */
type ValuesOf<K extends ListKey> = (typeof DIMENSIONS)[K] extends { values: readonly (infer V)[] } ? V[] : string[];

/** The filter as set_session_filter keeps it. */
export type SessionFilter = { timePeriod?: string; from?: string; to?: string; exclude?: ListKey[] } & {
  [K in ListKey]?: ValuesOf<K>;
};

export { LIST_KEYS, type ListKey };

/** The call's filter: per-call fields win; any time field replaces the saved window whole. */
export function mergeFilter(saved: SessionFilter, overrides: SessionFilter): SessionFilter {
  const merged: SessionFilter = {};
  const time = hasTime(overrides) ? overrides : saved;
  if (time.timePeriod) merged.timePeriod = time.timePeriod;
  if (time.from) merged.from = time.from;
  if (time.to) merged.to = time.to;
  const exclude: ListKey[] = [];
  for (const key of LIST_KEYS) {
    const value = overrides[key] ?? saved[key];
    if (!value) continue;
    (merged as Record<string, unknown>)[key] = value;
    // A field given again is included unless this call excludes it; one left as saved keeps its sense.
    if (overrides.exclude?.includes(key) || (overrides[key] === undefined && saved.exclude?.includes(key)))
      exclude.push(key);
  }
  if (exclude.length) merged.exclude = exclude;
  return merged;
}

/** Only the filter fields of a tool's arguments; a singular alias (`device "…"`) is one value of its list. */
export function pickFilter(args: Record<string, unknown>): SessionFilter {
  const picked: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (args[key] !== undefined) picked[key] = args[key];
  for (const key of DRILL_KEYS) {
    const one = args[DIMENSIONS[key].drill];
    if (typeof one === "string" && one) picked[key] = [one];
  }
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
  const not: NonNullable<FilterQuery["not"]> = {};
  const exclude: ListKey[] = [];
  for (const key of dimensions) {
    const values = merged[key];
    if (!values) continue;
    filter[key] = values as never;
    // The DXP spells two session types two ways: ask for both, report what was asked.
    const asked =
      key === "sessionTypes" ? [...new Set(values.flatMap((t) => SESSION_TYPE_SPELLINGS[t] ?? [t]))] : values;
    if (merged.exclude?.includes(key)) (not[key] = asked), exclude.push(key);
    else query[key] = asked;
  }
  if (exclude.length) (filter.exclude = exclude), (query.not = not);
  return { filter: dropUndefined(filter), window: resolveWindow(filter, now), query };
}

/** "platforms TEAMS; locations not Dallas" or "none". */
export function describeFilter(
  filter: Partial<Record<ListKey, readonly string[]>> & { exclude?: readonly string[] } = {},
): string {
  const parts = LIST_KEYS.filter((key) => filter[key]?.length).map(
    (key) => `${key}${filter.exclude?.includes(key) ? " not" : ""} ${joinList(filter[key]!)}`,
  );
  return parts.length ? parts.join("; ") : "none";
}

export const isEmptyFilter = (filter: SessionFilter): boolean => Object.keys(filter).length === 0;

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
