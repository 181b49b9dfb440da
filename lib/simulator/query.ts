// Reading a request's query: the time window, the session filters, paging. Bad values
// are 400s naming the parameter (names from the endpoint table's PARAMS).

import { DIMENSION_KEYS, DIMENSIONS, type Dimension, type DimensionKey, excludeParam } from "../client/dimensions.ts";
import { CUSTOM_TIME_PERIOD, PARAMS } from "../client/endpoints.ts";
import { splitList } from "../client/query.ts";
import { NETWORK_TYPES, ORDER_DIRECTIONS, PERIOD_MS, TEST_RESULTS, TIME_PERIODS } from "../client/vocabulary.ts";
import type { CatalogueLocation, Window } from "./catalogue.ts";
import { isUser, legFor } from "./drilldown.ts";
import type { SimTest } from "./endpoint-tests.ts";
import { CLIENTS, carrierName, DEVICES } from "./equipment.ts";
import { badRequest } from "./http.ts";
import { type SimSession, sessionTo } from "./sessions.ts";

export type { Window };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO-8601 with or without an offset; no offset means UTC. */
export function parseDate(param: string, value: string): number {
  // An unencoded "+02:00" offset arrives as " 02:00" (form decoding turns + into a space).
  let text = value.trim().replace(/^(.+T[\d:.]+) (\d{2}:?\d{2})$/, "$1+$2");
  const match = ISO_DATE.exec(text);
  if (!match) throw badRequest(param, `expected an ISO-8601 date-time such as 2025-01-31T14:00:00Z, got "${value}"`);
  text = text.replace(" ", "T");
  if (!match[1]) text += text.includes("T") ? "Z" : "T00:00:00Z";
  else if (/^[+-]\d{4}$/.test(match[1])) text = `${text.slice(0, -2)}:${text.slice(-2)}`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw badRequest(param, `not a valid date: "${value}"`);
  return ms;
}

export function parseWindow(query: URLSearchParams, now: number): Window {
  const period = (query.get(PARAMS.timePeriod) ?? "LAST_DAY").toUpperCase();
  if (period === CUSTOM_TIME_PERIOD) {
    const from = query.get(PARAMS.from);
    const to = query.get(PARAMS.to);
    if (!from) throw badRequest(PARAMS.from, `required when ${PARAMS.timePeriod}=${CUSTOM_TIME_PERIOD}`);
    if (!to) throw badRequest(PARAMS.to, `required when ${PARAMS.timePeriod}=${CUSTOM_TIME_PERIOD}`);
    const window = { from: parseDate(PARAMS.from, from), to: parseDate(PARAMS.to, to) };
    if (window.from >= window.to) throw badRequest(PARAMS.from, `must be before ${PARAMS.to}`);
    return window;
  }
  if (!(period in PERIOD_MS)) {
    throw badRequest(
      PARAMS.timePeriod,
      `expected one of ${[...TIME_PERIODS, CUSTOM_TIME_PERIOD].join(", ")}, got "${period}"`,
    );
  }
  return { from: now - PERIOD_MS[period as keyof typeof PERIOD_MS], to: now };
}

/** Comma-separated values (CSV-quoted when a value holds a comma), trimmed, empty entries dropped; undefined when absent or empty. */
export function listParam(query: URLSearchParams, param: string): string[] | undefined {
  const raw = query.get(param);
  if (raw === null) return undefined;
  const values = splitList(raw);
  return values.length ? values : undefined;
}

function enumList(query: URLSearchParams, param: string, allowed: readonly string[]): string[] | undefined {
  const values = listParam(query, param)?.map((v) => v.toUpperCase());
  if (!values) return undefined;
  const unknown = values.filter((v) => !allowed.includes(v));
  if (unknown.length)
    throw badRequest(param, `unknown value ${unknown.join(", ")}; expected one of ${allowed.join(", ")}`);
  return values;
}

/** Lower case without accents, so "sao paulo" finds São Paulo: one definition, shared with the tools. */
export { fold } from "../closest.ts";

import { fold } from "../closest.ts";

/**
 * How a session matches one value of each dimension (dimensions.ts), values folded. The leg
 * dimensions (network, device, client, site) read the leg of the users the filter names, if any.
 */
const MATCHERS: Record<
  DimensionKey,
  (session: SimSession, wanted: readonly string[], users?: readonly string[]) => boolean
> = {
  platforms: (s, wanted) => wanted.includes(fold(s.platform)),
  modalities: (s, wanted) => wanted.includes(fold(s.modality)),
  sessionTypes: (s, wanted) => wanted.includes(fold(s.sessionType)),
  sessionScenarios: (s, wanted) => wanted.includes(fold(s.sessionScenario)),
  qualities: (s, wanted) => wanted.includes(fold(s.quality)),
  locations: (s, wanted, users) => {
    const { location } = legFor(s, users).user;
    return wanted.includes(fold(location.id)) || wanted.includes(fold(location.name));
  },
  // Either party: the caller, the callee when a user of the tenant, or the callee's address or number.
  users: (s, wanted) =>
    isUser(s.user, wanted) || (s.peer !== null && isUser(s.peer, wanted)) || wanted.includes(fold(sessionTo(s))),
  networkTypes: (s, wanted, users) => wanted.includes(fold(NETWORK_TYPES[legFor(s, users).network] ?? "")),
  devices: (s, wanted, users) => wanted.includes(fold(DEVICES[legFor(s, users).device] ?? "")),
  clientVersions: (s, wanted, users) => wanted.includes(fold(CLIENTS[legFor(s, users).client]?.version ?? "")),
  carriers: (s, wanted) => wanted.includes(fold(carrierName(s) ?? "")),
  clientTypes: (s, wanted, users) => wanted.includes(fold(CLIENTS[legFor(s, users).client]?.type ?? "")),
  servers: (s, wanted) => wanted.includes(fold(s.server)),
};

/** Each dimension present in the query (and each left out, `not<Param>`), checked against its values when it has a fixed vocabulary. */
export function parseSessionFilter(query: URLSearchParams): (session: SimSession) => boolean {
  const tests: ((session: SimSession) => boolean)[] = [];
  const users = listParam(query, PARAMS.users)?.map(fold);
  for (const key of DIMENSION_KEYS) {
    const dimension: Dimension = DIMENSIONS[key];
    const matches = MATCHERS[key];
    for (const [param, keep] of [
      [dimension.param, true],
      [excludeParam(key), false],
    ] as const) {
      const values = dimension.values ? enumList(query, param, dimension.values) : listParam(query, param);
      if (!values) continue;
      const wanted = values.map(fold);
      tests.push((s) => matches(s, wanted, users) === keep);
    }
  }
  return (s) => tests.every((test) => test(s));
}

export function parseTestFilter(query: URLSearchParams): (test: SimTest) => boolean {
  const results = enumList(query, PARAMS.testResults, TEST_RESULTS);
  const locations = listParam(query, PARAMS.locations)?.map(fold);
  const notLocations = listParam(query, excludeParam("locations"))?.map(fold);
  const named = (wanted: readonly string[], location: CatalogueLocation) =>
    wanted.includes(fold(location.id)) || wanted.includes(fold(location.name));
  const atLocation = (location: CatalogueLocation) =>
    (!locations || named(locations, location)) && !(notLocations && named(notLocations, location));
  return (t) => (!results || results.includes(t.result)) && atLocation(t.user.location);
}

/** The items whose start lies in the window, from a list sorted ascending by start. */
export function inWindow<T extends { startSec: number }>(sorted: readonly T[], window: Window): T[] {
  const lowerBound = (value: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sorted[mid]!.startSec * 1000 < value) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return sorted.slice(lowerBound(window.from), lowerBound(window.to));
}

/** One of `choices`, any case (e.g. interval, groupBy); `fallback` when absent. */
export function choiceParam<T extends string>(
  query: URLSearchParams,
  param: string,
  choices: readonly T[],
  fallback = "",
): T {
  const value = (query.get(param) ?? fallback).toUpperCase();
  if (!choices.includes(value as T)) throw badRequest(param, `expected one of ${choices.join(", ")}, got "${value}"`);
  return value as T;
}

export interface Paging<F extends string = string> {
  pageNumber: number;
  pageSize: number;
  orderByField: F;
  orderDirection: "asc" | "desc";
}

export const MAX_PAGE_SIZE = 1000;

function intParam(query: URLSearchParams, param: string, fallback: number, min: number, max: number): number {
  const raw = query.get(param);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(param, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function parsePaging<F extends string>(
  query: URLSearchParams,
  orderFields: readonly F[] = [] as F[],
): Paging<F> {
  const pageNumber = intParam(query, PARAMS.pageNumber, 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = intParam(query, PARAMS.pageSize, 25, 1, MAX_PAGE_SIZE);
  const field = query.get(PARAMS.orderByField) ?? orderFields[0] ?? "";
  if (orderFields.length && !orderFields.includes(field as F)) {
    throw badRequest(PARAMS.orderByField, `expected one of ${orderFields.join(", ")}, got "${field}"`);
  }
  const direction = (query.get(PARAMS.orderDirection) ?? "desc").toLowerCase();
  if (!ORDER_DIRECTIONS.includes(direction as "asc" | "desc")) {
    throw badRequest(PARAMS.orderDirection, `expected asc or desc, got "${direction}"`);
  }
  return { pageNumber, pageSize, orderByField: field as F, orderDirection: direction as "asc" | "desc" };
}

export function toPage<T, R>(items: readonly T[], paging: Paging, render: (item: T) => R) {
  const start = (paging.pageNumber - 1) * paging.pageSize;
  return {
    totalPages: Math.ceil(items.length / paging.pageSize),
    totalElements: items.length,
    pageNumber: paging.pageNumber,
    pageSize: paging.pageSize,
    elements: items.slice(start, start + paging.pageSize).map(render),
  };
}
