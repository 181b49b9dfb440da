// Saved filters (filterId handles) on Redis, so that every replica finds a handle another
// saved. The key is a fixed prefix plus the handle (a digest, filter-handles.ts) and carries
// the filter's TTL; a read is owner-checked. Each write is charged to the filters' quota and,
// given one, to the caller's own (redis-quota.ts), so callers can never fill Redis.
import { BudgetExceededError, filterBudgetError, formatBytes } from "./budgets.ts";
import { FILTER_TTL_MS } from "./filter-handles.ts";
import type { FilterQuota, FilterStore } from "./interfaces.ts";
import { KEY_PREFIX, parseStored, type RedisLike } from "./redis-client.ts";
import { putCharged, quotaWindow } from "./redis-quota.ts";
import { attempt } from "./store-error.ts";

export interface RedisFilterStoreOptions {
  /** Bytes of saved filters all callers may keep in Redis together (charged per write). Default 32 MiB. */
  maxBytes?: number;
  now?: () => number;
}

export class RedisFilterStore implements FilterStore {
  readonly #maxBytes: number;
  readonly #now: () => number;

  constructor(
    private readonly redis: RedisLike,
    options: RedisFilterStoreOptions = {},
  ) {
    this.#maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  async put(id: string, owner: string, filter: object, ttlMs: number, quota?: FilterQuota): Promise<void> {
    const value = JSON.stringify({ owner, filter });
    const result = await attempt("saving a filter", () =>
      putCharged(this.redis, {
        key: `${KEY_PREFIX}filter:${id}`,
        value,
        ttlMs,
        window: quotaWindow("filter", Math.max(ttlMs, FILTER_TTL_MS), this.#maxBytes),
        owner: quota ? { id: owner, limitBytes: quota.ownerBytes } : undefined,
        now: this.#now(),
      }),
    );
    if (result === "over-owner") throw filterBudgetError(quota!, quota!.ownerBytes, value.length);
    if (result === "over-total") {
      throw new BudgetExceededError(
        `Filter not saved: the server's shared store holds its limit of saved filters (${formatBytes(this.#maxBytes)} saved in the last 24 h, all callers together).`,
        "Pass the filter fields to each tool call instead, or reuse a filterId you already have (saving an identical filter returns the same one).",
      );
    }
  }

  async get(id: string, owner: string): Promise<object | undefined> {
    const record = parseStored<{ owner: string; filter: object }>(
      await attempt("reading a filter", () => this.redis.get(`${KEY_PREFIX}filter:${id}`)),
    );
    return record && record.owner === owner ? record.filter : undefined;
  }
}
