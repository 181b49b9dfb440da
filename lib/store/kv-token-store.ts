// Renewed tokens on Deno KV: one renewal per rotation across processes.
import type { Renewal, TokenRecord, TokenStore } from "./interfaces.ts";
import { type Expiring, expireIn, KV_ROOT, type KvKey, type KvLike, type KvStoreOptions, touch } from "./kv-client.ts";
import { singleFlight } from "./single-flight.ts";
import { attempt, StoreUnavailableError } from "./store-error.ts";

export interface KvTokenStoreOptions extends KvStoreOptions {
  /** How long a renewal may hold the lock; keep it above the upstream time budget. Default 40 s. */
  lockTtlMs?: number;
  /** How often a process waiting for another's renewal looks again. Default 50 ms. */
  pollMs?: number;
}

type StoredTokens = Expiring & { ttlMs: number; record: TokenRecord };
type Lock = Expiring & { holder: string };

/**
 * Renewed tokens on KV, renewed by exactly one process at a time. The DXP rotates refresh
 * tokens (a second refresh with the same token fails), so a renewal first takes a lock with
 * one atomic commit that checks both the lock's and the token record's versionstamps: it
 * succeeds only if nobody holds the lock and nobody renewed since this process read the
 * record. Processes that find the lock taken wait for the record to change and use it. In
 * one process, renewals of a key share one promise before any lock is tried.
 *
 * A renewal the DXP granted is never dropped: if KV does not take the write, this process
 * keeps the record, serves it, and writes it back on the next use (as on Redis).
 */
export class KvTokenStore implements TokenStore {
  readonly #renewing = new Map<string, Promise<TokenRecord>>();
  readonly #unsaved = new Map<string, StoredTokens>();
  readonly #lockTtl: number;
  readonly #poll: number;
  readonly #root: string;
  readonly #now: () => number;

  constructor(
    private readonly kv: KvLike,
    options: KvTokenStoreOptions = {},
  ) {
    this.#lockTtl = options.lockTtlMs ?? 40_000;
    this.#poll = options.pollMs ?? 50;
    this.#root = options.root ?? KV_ROOT;
    this.#now = options.now ?? Date.now;
  }

  #key = (key: string): KvKey => [this.#root, "token", key];
  #lockKey = (key: string): KvKey => [this.#root, "lock", key];

  /** The stored record and its versionstamp (null: none), after writing back an unsaved renewal. */
  async #read(key: string): Promise<{ stored: StoredTokens | undefined; versionstamp: string | null }> {
    const unsaved = this.#unsaved.get(key);
    if (unsaved) {
      // Write it back before anyone reads KV's older record; until then only this process knows it.
      if (await this.#write(key, unsaved)) this.#unsaved.delete(key);
      return { stored: unsaved, versionstamp: "unsaved" };
    }
    const now = this.#now();
    const entry = await attempt("reading renewed tokens", () => this.kv.get(this.#key(key)));
    const stored = entry.value as StoredTokens | null;
    if (!stored || entry.versionstamp === null || !(stored.expiresAt > now))
      return { stored: undefined, versionstamp: entry.versionstamp };
    await touch(
      this.kv,
      this.#key(key),
      { value: stored, versionstamp: entry.versionstamp },
      stored.ttlMs,
      Math.min(60_000, stored.ttlMs / 10),
      now,
    );
    return { stored, versionstamp: entry.versionstamp };
  }

  async get(key: string): Promise<TokenRecord | undefined> {
    return (await this.#read(key)).stored?.record;
  }

  renew(key: string, seenAccessToken: string | undefined, renew: Renewal, ttlMs: number): Promise<TokenRecord> {
    return singleFlight(this.#renewing, key, () => this.#renewOnce(key, seenAccessToken, renew, ttlMs));
  }

  async #renewOnce(key: string, seen: string | undefined, renew: Renewal, ttlMs: number): Promise<TokenRecord> {
    const lockKey = this.#lockKey(key);
    const holder = crypto.randomUUID();
    // Past the lock's TTL a crashed holder's lock counts as expired and this process takes over.
    const deadline = this.#now() + 2 * this.#lockTtl;
    for (;;) {
      const current = await this.#read(key);
      if (current.stored && current.stored.record.accessToken !== seen) return current.stored.record; // renewed meanwhile, here or elsewhere
      // Our own renewal that KV has not taken yet was refused upstream: renewing again needs KV.
      if (current.versionstamp === "unsaved") throw new StoreUnavailableError("saving renewed tokens");
      const lock = await attempt("locking a token renewal", () => this.kv.get(lockKey));
      const held =
        lock.versionstamp !== null &&
        (lock.value as Lock | null)?.expiresAt !== undefined &&
        (lock.value as Lock).expiresAt > this.#now();
      if (!held) {
        const taken = await attempt("locking a token renewal", () =>
          this.kv
            .atomic()
            .check(
              { key: lockKey, versionstamp: lock.versionstamp },
              { key: this.#key(key), versionstamp: current.versionstamp },
            )
            .set(lockKey, { holder, expiresAt: this.#now() + this.#lockTtl } satisfies Lock, expireIn(this.#lockTtl))
            .commit(),
        );
        if (taken.ok) {
          try {
            // Nobody renewed since our read (the commit checked it): this process spends the refresh token.
            const record = await renew(current.stored?.record);
            const stored: StoredTokens = { ttlMs, record, expiresAt: this.#now() + ttlMs };
            if (!(await this.#write(key, stored))) this.#unsaved.set(key, stored);
            return record;
          } finally {
            // Release only our own lock (its versionstamp is our commit's); else it expires by itself.
            if (taken.versionstamp) {
              await this.kv
                .atomic()
                .check({ key: lockKey, versionstamp: taken.versionstamp })
                .delete(lockKey)
                .commit()
                .catch(() => {});
            }
          }
        }
        continue; // someone locked or renewed between our reads and our commit: look again
      }
      if (this.#now() > deadline) throw new StoreUnavailableError("another process's token renewal did not finish");
      await new Promise((resolve) => setTimeout(resolve, this.#poll));
    }
  }

  async #write(key: string, stored: StoredTokens): Promise<boolean> {
    try {
      await this.kv.set(this.#key(key), stored, expireIn(stored.ttlMs));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    this.#unsaved.delete(key);
    await attempt("forgetting renewed tokens", () => this.kv.delete(this.#key(key)));
  }
}
