// set_session_filter's filterId: a random handle for a saved filter, bound to the caller
// that saved it (its owner key, a keyed hash of its credentials). A request carries the
// handle instead of a session (MCP 2026-07-28 has none), and another caller presenting
// it gets "not found", never the filter.
import type { FilterStore } from "./interfaces.ts";
import { MemoryFilterStore } from "./memory-filter-store.ts";

/** How long a saved filter is kept (from when it was saved). */
export const FILTER_TTL_MS = 24 * 3600_000;

/** Handles of filters `F` (the session filter, lib/filter.ts: JSON to this store). */
export interface FilterHandles<F extends object = object> {
  save(filter: F): Promise<{ filterId: string; expiresAt: string }>;
  /** The filter, or undefined when unknown, expired or another caller's (indistinguishable on purpose). */
  load(filterId: string): Promise<F | undefined>;
}

export function filterHandles<F extends object>(store: FilterStore<F>, owner: string, now: () => number = Date.now): FilterHandles<F> {
  return {
    async save(filter) {
      const filterId = `flt_${crypto.randomUUID().replaceAll("-", "")}`;
      await store.put(filterId, owner, filter, FILTER_TTL_MS);
      return { filterId, expiresAt: new Date(now() + FILTER_TTL_MS).toISOString() };
    },
    load: (filterId) => store.get(filterId, owner),
  };
}

/** Handles private to one process and caller (stdio, the function-calling adapter). */
export const localFilterHandles = (): FilterHandles => filterHandles(new MemoryFilterStore({ max: 1000 }), "local");
