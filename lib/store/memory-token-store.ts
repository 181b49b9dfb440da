// Renewed tokens in this process's memory. Renewal is single-flight per key: callers that
// arrive while one renewal runs get its result. Bounded only by TTL and a generous entry
// cap: entries exist only for credentials the DXP accepted a refresh for, so junk
// credentials cannot fill it (they never renew).
import { LRUCache } from "lru-cache";
import { budgetsForHeap, chargedBytes } from "./budgets.ts";
import type { Renewal, TokenRecord, TokenStore } from "./interfaces.ts";
import { singleFlight } from "./single-flight.ts";

export interface MemoryTokenStoreOptions {
  /** Most credentials kept. Default 100 000. */
  max?: number;
  /** Most bytes of token records kept (chargedBytes of each record's JSON). Default: budgetsForHeap().tokenBytes. */
  maxBytes?: number;
}

export class MemoryTokenStore implements TokenStore {
  readonly #records: LRUCache<string, TokenRecord>;
  readonly #renewing = new Map<string, Promise<TokenRecord>>();

  constructor(options: MemoryTokenStoreOptions = {}) {
    this.#records = new LRUCache({
      max: options.max ?? 100_000,
      maxSize: options.maxBytes ?? budgetsForHeap().tokenBytes,
      sizeCalculation: (record) => chargedBytes(JSON.stringify(record)),
      ttl: 1,
      updateAgeOnGet: true /* every set passes its own ttl */,
    });
  }

  async get(key: string): Promise<TokenRecord | undefined> {
    return this.#records.get(key);
  }

  renew(key: string, seenAccessToken: string | undefined, renew: Renewal, ttlMs: number): Promise<TokenRecord> {
    return singleFlight(this.#renewing, key, async () => {
      const current = this.#records.get(key);
      if (current && current.accessToken !== seenAccessToken) return current;
      const record = await renew(current);
      this.#records.set(key, record, { ttl: ttlMs });
      return record;
    });
  }

  async delete(key: string): Promise<void> {
    this.#records.delete(key);
  }
}
