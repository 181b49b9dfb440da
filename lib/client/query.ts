// Typed query inputs of the client, turned into the DXP's query parameters (names from
// the endpoint table's PARAMS). Lists go comma-separated.
import { DIMENSION_KEYS, type DimensionKey, excludeParam } from "./dimensions.ts";
import { CUSTOM_TIME_PERIOD, PARAMS } from "./endpoints.ts";
import type { TimePeriod } from "./vocabulary.ts";

/** A named period, or an explicit UTC window sent as CUSTOM. */
export type WindowQuery = { period: TimePeriod } | { period: typeof CUSTOM_TIME_PERIOD; from: Date; to: Date };

/** Every filter dimension (dimensions.ts) as a list; the drill dimensions take values as the breakdown names them. */
export type FilterQuery = { [K in DimensionKey]?: readonly string[] } & {
  /** Values left out, by dimension (sent as `not<Param>`, dimensions.ts excludeParam). */
  not?: { [K in DimensionKey]?: readonly string[] };
};

export interface PageQuery {
  pageNumber?: number;
  pageSize?: number;
  orderByField?: string;
  orderDirection?: "asc" | "desc";
}

export interface SessionQuery extends FilterQuery, PageQuery {
  window?: WindowQuery;
  interval?: string;
  search?: string;
  testResults?: readonly string[];
  /** The breakdown's dimension (BREAKDOWN_DIMENSIONS). */
  groupBy?: string;
}

/**
 * A list as one query value: comma-separated, and a value holding a comma or a double quote
 * is quoted CSV-style, so "Washington, D.C." stays one name. splitList reads it back (the
 * simulator parses with it, so both sides agree).
 */
export function joinList(values: readonly string[]): string {
  return values.map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",");
}

export function splitList(raw: string): string[] {
  const values: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (quoted) {
      if (char === '"' && raw[i + 1] === '"') (current += '"'), i++;
      else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"' && current.trim() === "") (quoted = true), (current = "");
    else if (char === ",") values.push(current), (current = "");
    else current += char;
  }
  values.push(current);
  return values.map((v) => v.trim()).filter(Boolean);
}

/**
 * The DXP's wire format for dates: ISO-8601 UTC to the second. Written here, not borrowed
 * from time.ts (which imports this module): our answers' display format may change apart from it.
 */
export const toDxpDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The query parameters of a request; `names` are the DXP's parameter names (PARAMS, or an operator's overrides). */
export function searchParams(
  tenant: string | undefined,
  query: SessionQuery = {},
  names: { readonly [K in keyof typeof PARAMS]: string } = PARAMS,
): Record<string, string> {
  const PARAMS = names;
  const params: Record<string, string> = {};
  if (tenant) params[PARAMS.tenant] = tenant;
  const window = query.window;
  if (window) {
    params[PARAMS.timePeriod] = window.period;
    if (window.period === CUSTOM_TIME_PERIOD) {
      params[PARAMS.from] = toDxpDate(window.from);
      params[PARAMS.to] = toDxpDate(window.to);
    }
  }
  for (const key of DIMENSION_KEYS) {
    const values = query[key];
    if (values?.length) params[PARAMS[key]] = joinList(values);
    const left = query.not?.[key];
    if (left?.length) params[excludeParam(key)] = joinList(left);
  }
  if (query.testResults?.length) params[PARAMS.testResults] = joinList(query.testResults);
  if (query.groupBy) params[PARAMS.groupBy] = query.groupBy;
  if (query.interval) params[PARAMS.interval] = query.interval;
  if (query.search) params[PARAMS.search] = query.search;
  if (query.pageNumber !== undefined) params[PARAMS.pageNumber] = String(query.pageNumber);
  if (query.pageSize !== undefined) params[PARAMS.pageSize] = String(query.pageSize);
  if (query.orderByField) params[PARAMS.orderByField] = query.orderByField;
  if (query.orderDirection) params[PARAMS.orderDirection] = query.orderDirection;
  return params;
}
