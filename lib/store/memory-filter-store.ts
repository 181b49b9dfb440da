// Filter handles in this process's memory, bounded by bytes: in total (the least recently
// used handle makes room) and per owner (a caller over its own budget is refused, with an
// error saying so, and nothing of anyone else's is dropped for it). Each with its TTL.
import { LRUCache } from "lru-cache";
import { budgetsForHeap, chargedBytes, filterBudgetError } from "./budgets.ts";
import { clock } from "./clock.ts";
import type { FilterQuota, FilterStore } from "./interfaces.ts";

export interface MemoryFilterStoreOptions {
  /** Most handles kept. Default 50 000. */
  max?: number;
  /** Most bytes kept for all owners together (chargedBytes of each filter's JSON). Default: budgetsForHeap().filterBytes. */
  maxBytes?: number;
  now?: () => number;
}

interface Entry {
  owner: string;
  filter: object;
  bytes: number;
}

export class MemoryFilterStore implements FilterStore {
  readonly #filters: LRUCache<string, Entry>;
  /** Bytes held per owner (entries leave through dispose, whatever the reason). */
  readonly #owned = new Map<string, number>();

  constructor(options: MemoryFilterStoreOptions = {}) {
    this.#filters = new LRUCache({
      max: options.max ?? 50_000,
      maxSize: options.maxBytes ?? budgetsForHeap().filterBytes,
      ttl: 1 /* every put passes its own ttl */,
      dispose: (entry) => this.#charge(entry.owner, -entry.bytes),
      ...clock(options.now),
    });
  }

  #charge(owner: string, bytes: number) {
    const next = (this.#owned.get(owner) ?? 0) + bytes;
    if (next <= 0) this.#owned.delete(owner);
    else this.#owned.set(owner, next);
  }

  async put(id: string, owner: string, filter: object, ttlMs: number, quota?: FilterQuota): Promise<void> {
    const bytes = chargedBytes(JSON.stringify(filter) + id + owner);
    const previous = this.#filters.peek(id);
    const already = previous?.owner === owner ? previous.bytes : 0;
    const wouldHold = () => (this.#owned.get(owner) ?? 0) - already + bytes;
    if (quota && wouldHold() > quota.ownerBytes) {
      this.#filters.purgeStale(); // expired handles no longer count (lru-cache drops them only when read)
      if (wouldHold() > quota.ownerBytes) throw filterBudgetError(quota, this.#owned.get(owner) ?? 0, bytes);
    }
    this.#filters.set(id, { owner, filter, bytes }, { ttl: ttlMs, size: bytes });
    // lru-cache refuses (and drops) an entry larger than the whole budget: dispose keeps the count right.
    if (this.#filters.has(id)) this.#charge(owner, bytes);
  }

  async get(id: string, owner: string): Promise<object | undefined> {
    const record = this.#filters.get(id);
    return record && record.owner === owner ? record.filter : undefined;
  }

  /** Handles and bytes held, in total and for one owner (tests, status). */
  usage(owner?: string): { entries: number; bytes: number; ownerBytes: number } {
    return {
      entries: this.#filters.size,
      bytes: this.#filters.calculatedSize,
      ownerBytes: owner ? (this.#owned.get(owner) ?? 0) : 0,
    };
  }
}
