// Filter handles in this process's memory: bounded by entries, each with its TTL.
import { LRUCache } from "lru-cache";
import { clock } from "./clock.ts";
import type { FilterStore } from "./interfaces.ts";

export interface MemoryFilterStoreOptions {
  /** Most handles kept. Default 50 000. */
  max?: number;
  now?: () => number;
}

export class MemoryFilterStore implements FilterStore {
  readonly #filters: LRUCache<string, { owner: string; filter: object }>;

  constructor(options: MemoryFilterStoreOptions = {}) {
    this.#filters = new LRUCache({ max: options.max ?? 50_000, ttl: 1 /* every put passes its own ttl */, ...clock(options.now) });
  }

  async put(id: string, owner: string, filter: object, ttlMs: number): Promise<void> {
    this.#filters.set(id, { owner, filter }, { ttl: ttlMs });
  }

  async get(id: string, owner: string): Promise<object | undefined> {
    const record = this.#filters.get(id);
    return record && record.owner === owner ? record.filter : undefined;
  }
}
