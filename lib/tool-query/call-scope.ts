// The shared front half of every session tool: which client and tenant, which filter and
// time window, and how that is reported back (each answer says what was applied once).
import { z } from "zod";
import type { DxpClient } from "../client/client.ts";
import type { SessionQuery } from "../client/query.ts";
import { TEST_RESULTS, TIME_PERIODS } from "../client/vocabulary.ts";
import { InputError } from "../errors.ts";
import {
  applyFilter,
  describeFilter,
  filterShape,
  isEmptyFilter,
  LIST_KEYS,
  type ListKey,
  type SessionFilter,
} from "../filter.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatWindow, utcSeconds } from "../time.ts";
import type { ToolContext } from "../tool-kit/define.ts";
import { checkNames } from "./check-names.ts";
import { tenantField, tenantOf } from "./tenant.ts";

/**
 * A filter saved by set_session_filter; per-call filter fields override it. No description:
 * set_session_filter's says where it comes from, once (each session tool would pay for one).
 */
export const filterIdField = lazySchema(() => z.string().trim().min(1).max(100).optional());

/** Input fields of tools that read sessions: the per-call filter overrides and the tenant. */
export const scopedShape = lazySchema(() => ({ ...filterShape(), filterId: filterIdField(), tenant: tenantField() }));

export const windowSchema = lazySchema(() =>
  z.object({
    from: z.string().describe("UTC"),
    to: z.string().describe("UTC"),
    label: z.string(),
  }),
);

/** The list dimensions of a filter, as answers echo them. */
export const appliedFilterSchema = lazySchema(() =>
  z.object({
    ...(Object.fromEntries(LIST_KEYS.map((key) => [key, z.array(z.string()).optional()])) as Record<
      ListKey,
      z.ZodOptional<z.ZodArray<z.ZodString>>
    >),
    exclude: z.array(z.string()).optional().describe("fields whose values were left out"),
  }),
);

/** What every session answer echoes: tenant, absolute UTC window and the filter applied (left out when none: the text says "filter: none"). */
export const appliedSchema = lazySchema(() =>
  z.object({ tenant: z.string(), window: windowSchema(), filter: appliedFilterSchema().optional() }),
);
export type Applied = z.infer<ReturnType<typeof appliedSchema>>;

export interface Scope {
  client: DxpClient;
  tenant: string;
  query: SessionQuery;
  applied: Applied;
  call: { tenant: string; signal?: AbortSignal };
  /** The saved filter the call started from, repeated in hints. */
  filterId?: string;
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
  await checkNames(client, { ...query, window: window.query }, { tenant, signal: context.signal });
  return {
    client,
    tenant,
    query: { ...query, window: window.query },
    applied: {
      tenant,
      window: { from: utcSeconds(window.from), to: utcSeconds(window.to), label: window.label },
      filter: isEmptyFilter(lists) ? undefined : lists,
    },
    call: { tenant, signal: context.signal },
    filterId: typeof args.filterId === "string" && args.filterId ? args.filterId : undefined,
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

/** "Tenant acme · LAST_DAY, 2026-11-24 12:00 → 2026-11-25 12:00 UTC · filter: none" */
export function appliedLine(applied: Applied): string {
  const window = { from: new Date(applied.window.from), to: new Date(applied.window.to) };
  return `Tenant ${applied.tenant} · ${applied.window.label}, ${formatWindow(window)} · filter: ${describeFilter(applied.filter)}`;
}

/**
 * The call's whole scope as arguments to repeat, with `narrow` replacing or adding fields:
 * 'timePeriod "LAST_WEEK", locations ["Dallas"], qualities ["CRITICAL"], filterId "flt_…"'.
 * A hint built from it keeps the question when followed literally (issue 20, item 3).
 */
export function scopeArgs(
  scope: Pick<Scope, "applied" | "filterId">,
  narrow: Partial<Record<ListKey, readonly string[]>> = {},
): string {
  const { window, filter = {} } = scope.applied;
  const parts = (TIME_PERIODS as readonly string[]).includes(window.label)
    ? [`timePeriod "${window.label}"`]
    : [`from "${window.from}"`, `to "${window.to}"`];
  const exclude = (filter.exclude ?? []).filter((key) => !(key in narrow));
  for (const key of LIST_KEYS) {
    const values = narrow[key] ?? filter[key];
    if (values?.length) parts.push(`${key} ${JSON.stringify(values)}`);
  }
  if (exclude.length) parts.push(`exclude ${JSON.stringify(exclude)}`);
  if (scope.filterId) parts.push(`filterId "${scope.filterId}"`);
  return parts.join(", ");
}

/** Endpoint-client tests know only the time window and locations of the session filter. */
export const TEST_DIMENSIONS = ["locations"] as const satisfies readonly ListKey[];

export const testScopeShape = lazySchema(() => ({
  timePeriod: filterShape().timePeriod,
  from: filterShape().from,
  to: filterShape().to,
  locations: filterShape().locations,
  filterId: filterIdField(),
  results: z.array(z.enum(TEST_RESULTS)).min(1).optional(),
  tenant: tenantField(),
}));
