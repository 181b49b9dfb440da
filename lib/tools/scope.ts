// The shared front half of every data tool: which client and tenant, which filter and
// time window, and how that is reported back (each answer says what was applied).
import { z } from "zod";
import { type DxpClient, requireTenant } from "../client/client.ts";
import type { SessionQuery } from "../client/query.ts";
import { applyFilter, describeFilter, filterShape, LIST_KEYS, type ListKey, type SessionFilter } from "../filter.ts";
import { InputError } from "../errors.ts";
import { TEST_RESULTS } from "../client/vocabulary.ts";
import { formatWindow } from "../time.ts";
import type { ToolContext } from "./define.ts";
import { checkNames } from "./check-names.ts";
import { percentOf, round } from "./render.ts";

export const tenantField = z.string().trim().min(1).max(100).optional().describe("default: configured");

/** A filter saved by set_session_filter; per-call filter fields override it. */
export const filterIdField = z.string().trim().min(1).max(100).optional().describe("from set_session_filter");

/** Input fields of tools that read sessions: the per-call filter overrides and the tenant. */
export const scopedShape = { ...filterShape, filterId: filterIdField, tenant: tenantField };

export const pagingShape = {
  pageNumber: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
};

export const pageSchema = z.object({
  pageNumber: z.number(),
  pageSize: z.number(),
  totalElements: z.number(),
  totalPages: z.number(),
});

/** What may be shown of a connection (describeConnection): never a token, only whether one is set. */
export const connectionSchema = z.object({
  source: z.string(),
  url: z.string().nullable(),
  tenant: z.string().nullable(),
  accessToken: z.enum(["present", "absent"]),
  refreshToken: z.enum(["present", "absent"]),
  accessTokenExpiresAt: z.string().nullable().describe("UTC"),
});

/** A corporate location as tools return it. */
export const locationShape = {
  id: z.string(),
  name: z.string(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
};

/** The paging part of a DXP list answer, as every list tool returns it. */
export const pageOf = (answer: z.infer<typeof pageSchema>) => ({
  pageNumber: answer.pageNumber,
  pageSize: answer.pageSize,
  totalElements: answer.totalElements,
  totalPages: answer.totalPages,
});

/** Session counts by quality with the poor share and score: a location's or a time bucket's. */
export const qualityCountsShape = {
  sessions: z.number(),
  good: z.number(),
  average: z.number(),
  poor: z.number(),
  unknown: z.number(),
  poorPercent: z.number(),
  avgNectarScore: z.number().nullable(),
};

/** Fill qualityCountsShape from the DXP's `{ good, average, poor, unknown, all }`. */
export const qualityCounts = (
  counts: { good: number; average: number; poor: number; unknown: number; all: number },
  avgNectarScore: number | null | undefined,
) => ({
  sessions: counts.all,
  good: counts.good,
  average: counts.average,
  poor: counts.poor,
  unknown: counts.unknown,
  poorPercent: percentOf(counts.poor, counts.all),
  avgNectarScore: round(avgNectarScore, 1),
});

export const windowSchema = z.object({
  from: z.string().describe("UTC"),
  to: z.string().describe("UTC"),
  label: z.string(),
});

/** The list dimensions of a filter, as answers echo them. */
export const appliedFilterSchema = z.object({
  platforms: z.array(z.string()).optional(),
  modalities: z.array(z.string()).optional(),
  sessionTypes: z.array(z.string()).optional(),
  sessionScenarios: z.array(z.string()).optional(),
  qualities: z.array(z.string()).optional(),
  locations: z.array(z.string()).optional(),
  users: z.array(z.string()).optional(),
});

/** What every session answer echoes: tenant, absolute UTC window and the filter applied. */
export const appliedSchema = z.object({ tenant: z.string(), window: windowSchema, filter: appliedFilterSchema });
export type Applied = z.infer<typeof appliedSchema>;

export interface Scope {
  client: DxpClient;
  tenant: string;
  query: SessionQuery;
  applied: Applied;
  call: { tenant: string; signal?: AbortSignal };
}

export async function scopeFor(
  args: Record<string, unknown>,
  context: ToolContext,
  dimensions: readonly ListKey[] = LIST_KEYS,
): Promise<Scope> {
  const { filter, window, query } = applyFilter(await savedFilter(args, context), args, context.now(), dimensions);
  const client = await context.client();
  const tenant = tenantOf(args, context);
  const { timePeriod: _t, from: _f, to: _to, ...lists } = filter satisfies SessionFilter;
  await checkNames(client, query, { tenant, signal: context.signal });
  return {
    client,
    tenant,
    query: { ...query, window: window.query },
    applied: {
      tenant,
      window: { from: window.from.toISOString(), to: window.to.toISOString(), label: window.label },
      filter: lists,
    },
    call: { tenant, signal: context.signal },
  };
}

/** The filter a call starts from: the one its filterId names, else this session's. */
export async function savedFilter(args: { filterId?: unknown }, context: ToolContext): Promise<SessionFilter> {
  if (typeof args.filterId !== "string" || !args.filterId) return context.session.filter;
  const saved = await context.filters.load(args.filterId);
  if (!saved) {
    throw new InputError(
      `filterId "${args.filterId.slice(0, 60)}" was not found: it expired, or it was saved with other credentials.`,
      "Call set_session_filter again (with the same credentials) and pass the filterId it returns, or pass the filter fields themselves.",
    );
  }
  return saved;
}

/** The call's tenant: the `tenant` argument, else the configured default. */
export function tenantOf(args: { tenant?: unknown }, context: ToolContext): string {
  return requireTenant((typeof args.tenant === "string" && args.tenant) || context.connection().tenant);
}

/** "Tenant acme · LAST_DAY, 2026-11-24 12:00 → 2026-11-25 12:00 UTC · filter: none" */
export function appliedLine(applied: Applied): string {
  const window = { from: new Date(applied.window.from), to: new Date(applied.window.to) };
  return `Tenant ${applied.tenant} · ${applied.window.label}, ${formatWindow(window)} · filter: ${describeFilter(applied.filter)}`;
}

/** Run a tool's upstream calls in parallel, reporting progress as each one lands. */
export async function fetchAll<T extends readonly unknown[]>(
  context: ToolContext,
  calls: { [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  let done = 0;
  const total = calls.length;
  return Promise.all(
    calls.map(async (call) => {
      const value = await call();
      done += 1;
      await context.progress(done, total);
      return value;
    }),
  ) as unknown as Promise<T>;
}

/** Endpoint-client tests know only the time window and locations of the session filter. */
export const TEST_DIMENSIONS = ["locations"] as const satisfies readonly ListKey[];

export const testScopeShape = {
  timePeriod: filterShape.timePeriod,
  from: filterShape.from,
  to: filterShape.to,
  locations: filterShape.locations,
  filterId: filterIdField,
  results: z.array(z.enum(TEST_RESULTS)).min(1).optional(),
  tenant: tenantField,
};
