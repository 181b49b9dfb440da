// Saved filters on Deno KV, owner-checked on read, charged to their owner's quota.
import { filterBudgetError } from "./budgets.ts";
import { FILTER_TTL_MS } from "./filter-handles.ts";
import type { FilterQuota, FilterStore } from "./interfaces.ts";
import {
  type Expiring,
  expireIn,
  KV_ROOT,
  type KvEntry,
  type KvKey,
  type KvLike,
  type KvStoreOptions,
  pauseMs,
  readLive,
} from "./kv-client.ts";
import { quotaWindow } from "./redis-quota.ts";
import { attempt, StoreUnavailableError } from "./store-error.ts";

type StoredFilter = Expiring & { owner: string; filter: object };
/** One time bucket of an owner's quota: bytes charged to it, and when it stops counting. */
type QuotaBucket = Expiring & { bytes: number };

const encoder = new TextEncoder();
/** What a saved filter costs KV, as charged to its owner's quota: its key and its value, in UTF-8. */
const kvChargedBytes = (key: KvKey, value: unknown): number =>
  encoder.encode(JSON.stringify(key)).length + encoder.encode(JSON.stringify(value)).length;

/** How often a put whose commit met a concurrent write of the same owner tries again. */
const PUT_TRIES = 12;

/**
 * Saved filters on KV, owner-checked on read. Given a quota, a put is charged to its owner
 * the way the Redis store charges it (redis-quota.ts): its bytes go to the owner's counter of
 * the current time bucket, and the buckets a filter's lifetime spans together may not pass
 * `quota.ownerBytes`, across every process and isolate; past it the put throws the same
 * BudgetExceededError and keeps nothing. Saving what is stored (the same handle, so the
 * same filter) only restarts its TTL and charges nothing. The counter and the filter are
 * written in one atomic commit that checks both as read, so concurrent puts of one owner
 * cannot both spend the same room (only the current hour's counter is checked: two clocks on
 * either side of an hour may each spend the last room once).
 */
export class KvFilterStore implements FilterStore {
  readonly #root: string;
  readonly #now: () => number;

  constructor(
    private readonly kv: KvLike,
    options: KvStoreOptions = {},
  ) {
    this.#root = options.root ?? KV_ROOT;
    this.#now = options.now ?? Date.now;
  }

  async put(id: string, owner: string, filter: object, ttlMs: number, quota?: FilterQuota): Promise<void> {
    const key: KvKey = [this.#root, "filter", id];
    if (!quota) {
      await attempt("saving a filter", () =>
        this.kv.set(key, { owner, filter, expiresAt: this.#now() + ttlMs } satisfies StoredFilter, expireIn(ttlMs)),
      );
      return;
    }
    const window = quotaWindow("filter", Math.max(ttlMs, FILTER_TTL_MS), quota.ownerBytes);
    for (let tries = 0; tries < PUT_TRIES; tries++) {
      const now = this.#now();
      const record: StoredFilter = { owner, filter, expiresAt: now + ttlMs };
      const entry = await attempt("saving a filter", () => this.kv.get(key));
      const stored = entry.value as StoredFilter | null;
      if (
        entry.versionstamp !== null &&
        stored &&
        stored.expiresAt > now &&
        stored.owner === owner &&
        JSON.stringify(stored.filter) === JSON.stringify(filter)
      ) {
        // Already saved: only its TTL restarts (a concurrent write is newer and restarted it itself).
        await attempt("saving a filter", () =>
          this.kv.atomic().check({ key, versionstamp: entry.versionstamp }).set(key, record, expireIn(ttlMs)).commit(),
        );
        return;
      }
      const current = Math.floor(now / window.bucketMs);
      const bucketKeys: KvKey[] = Array.from({ length: window.buckets }, (_, i) => [
        this.#root,
        "quota",
        "filter",
        owner,
        current - i,
      ]);
      const buckets = await Promise.all(
        bucketKeys.map((bucketKey) => attempt("saving a filter", () => this.kv.get(bucketKey))),
      );
      const charged = (b: KvEntry) =>
        b.versionstamp !== null && b.value && (b.value as QuotaBucket).expiresAt > now
          ? (b.value as QuotaBucket).bytes
          : 0;
      const held = buckets.reduce((sum, b) => sum + charged(b), 0);
      const bytes = kvChargedBytes(key, record);
      if (held + bytes > quota.ownerBytes) throw filterBudgetError(quota, held, bytes);
      const bucketLife = window.bucketMs * (window.buckets + 1);
      const bucket: QuotaBucket = { bytes: charged(buckets[0]!) + bytes, expiresAt: now + bucketLife };
      const done = await attempt("saving a filter", () =>
        this.kv
          .atomic()
          .check(
            { key, versionstamp: entry.versionstamp },
            { key: bucketKeys[0]!, versionstamp: buckets[0]!.versionstamp },
          )
          .set(key, record, expireIn(ttlMs))
          .set(bucketKeys[0]!, bucket, expireIn(bucketLife))
          .commit(),
      );
      if (done.ok) return;
      // Another put of this owner (or of this filter) committed between our reads and our
      // commit: count again, after a jittered pause (all header-less callers share one owner).
      await pauseMs(Math.random() * 5 * (tries + 1));
    }
    throw new StoreUnavailableError("saving a filter that kept changing");
  }

  async get(id: string, owner: string): Promise<object | undefined> {
    const live = await readLive<StoredFilter>(this.kv, [this.#root, "filter", id], "reading a filter", this.#now());
    return live && live.value.owner === owner ? live.value.filter : undefined;
  }
}
