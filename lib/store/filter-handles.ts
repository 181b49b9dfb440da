// set_session_filter's filterId: a handle for a saved filter, bound to the caller that
// saved it (its owner key, a keyed hash of its credentials). A request carries the handle
// instead of a session (MCP 2026-07-28 has none), and another caller presenting it gets
// "not found", never the filter. The handle is a digest of the owner key and the filter:
// the same caller saving the same filter again gets the same handle (its TTL restarts) and
// keeps no second copy; without the owner key (secret-derived) nobody can compute it.
import type { FilterQuota, FilterStore } from "./interfaces.ts";
import { MemoryFilterStore } from "./memory-filter-store.ts";

/** How long a saved filter is kept (from when it was saved). */
export const FILTER_TTL_MS = 24 * 3600_000;

/** Handles of filters `F` (the session filter, lib/filter.ts: JSON to this store). */
export interface FilterHandles<F extends object = object> {
  /** Throws a BudgetExceededError (nothing kept) when the caller's saved filters would pass its quota. */
  save(filter: F): Promise<{ filterId: string; expiresAt: string }>;
  /** The filter, or undefined when unknown, expired or another caller's (indistinguishable on purpose). */
  load(filterId: string): Promise<F | undefined>;
}

const encoder = new TextEncoder();

async function handleFor(owner: string, filter: object): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", encoder.encode(`${owner}\n${JSON.stringify(filter)}`)),
  );
  let hex = "";
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, "0");
  return `flt_${hex}`;
}

export function filterHandles<F extends object>(
  store: FilterStore<F>,
  owner: string,
  now: () => number = Date.now,
  quota?: FilterQuota,
): FilterHandles<F> {
  return {
    async save(filter) {
      const filterId = await handleFor(owner, filter);
      await store.put(filterId, owner, filter, FILTER_TTL_MS, quota);
      return { filterId, expiresAt: new Date(now() + FILTER_TTL_MS).toISOString() };
    },
    load: (filterId) => store.get(filterId, owner),
  };
}

/** Handles private to one process and caller (stdio, the function-calling adapter). */
export const localFilterHandles = (): FilterHandles => filterHandles(new MemoryFilterStore({ max: 1000 }), "local");
