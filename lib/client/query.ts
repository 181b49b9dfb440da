// Typed query inputs of the client, turned into the DXP's query parameters (names from
// the endpoint table's PARAMS). Lists go comma-separated.
import { CUSTOM_TIME_PERIOD, PARAMS } from "./endpoints.ts";
import type { TimePeriod } from "./vocabulary.ts";

/** A named period, or an explicit UTC window sent as CUSTOM. */
export type WindowQuery = { period: TimePeriod } | { period: typeof CUSTOM_TIME_PERIOD; from: Date; to: Date };

export interface FilterQuery {
  platforms?: readonly string[];
  modalities?: readonly string[];
  sessionTypes?: readonly string[];
  sessionScenarios?: readonly string[];
  qualities?: readonly string[];
  locations?: readonly string[];
  users?: readonly string[];
}

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
}

const FILTER_KEYS = ["platforms", "modalities", "sessionTypes", "sessionScenarios", "qualities", "locations", "users"] as const;

/** The DXP's date format: ISO-8601 UTC to the second. */
export const toDxpDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

export function searchParams(tenant: string | undefined, query: SessionQuery = {}): Record<string, string> {
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
  for (const key of FILTER_KEYS) {
    const values = query[key];
    if (values?.length) params[PARAMS[key]] = values.join(",");
  }
  if (query.testResults?.length) params[PARAMS.testResults] = query.testResults.join(",");
  if (query.interval) params[PARAMS.interval] = query.interval;
  if (query.search) params[PARAMS.search] = query.search;
  if (query.pageNumber !== undefined) params[PARAMS.pageNumber] = String(query.pageNumber);
  if (query.pageSize !== undefined) params[PARAMS.pageSize] = String(query.pageSize);
  if (query.orderByField) params[PARAMS.orderByField] = query.orderByField;
  if (query.orderDirection) params[PARAMS.orderDirection] = query.orderDirection;
  return params;
}
