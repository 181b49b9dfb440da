// Renewed tokens on Redis, renewed by exactly one replica at a time. The DXP rotates
// refresh tokens (a second refresh with the same token fails), so a renewal takes a lock
// (SET NX PX with a random owner, released only by that owner); replicas that find the
// lock taken wait for the record to change and use it. In one process, renewals of a key
// share one promise before any lock is tried.
//
// A renewal the DXP granted is never dropped: if Redis does not take the write, this
// process keeps the record, serves it, and writes it back on the next use. Reads that
// fail are an honest StoreUnavailableError (no guessing which token is current).
import type { Renewal, TokenRecord, TokenStore } from "./interfaces.ts";
import { KEY_PREFIX, type RedisLike } from "./redis-client.ts";
import { singleFlight } from "./single-flight.ts";
import { attempt, StoreUnavailableError } from "./store-error.ts";

export interface RedisTokenStoreOptions {
  /** How long a renewal may hold the lock; keep it above the upstream time budget. Default 40 s. */
  lockTtlMs?: number;
  /** How often a replica waiting for another's renewal looks again. Default 50 ms. */
  pollMs?: number;
  now?: () => number;
}

/** GET that restarts the record's TTL (stored alongside it). */
const GET_AND_TOUCH =
  "local v = redis.call('GET', KEYS[1]); if v then redis.call('PEXPIRE', KEYS[1], cjson.decode(v).ttlMs) end; return v";
/** DEL the lock only if we still hold it. */
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end; return 0";

interface Stored {
  ttlMs: number;
  record: TokenRecord;
}

export class RedisTokenStore implements TokenStore {
  readonly #renewing = new Map<string, Promise<TokenRecord>>();
  /** Renewals Redis did not take yet: served from here and written back on the next use. */
  readonly #unsaved = new Map<string, Stored>();
  readonly #lockTtl: number;
  readonly #poll: number;
  readonly #now: () => number;

  constructor(
    private readonly redis: RedisLike,
    options: RedisTokenStoreOptions = {},
  ) {
    this.#lockTtl = options.lockTtlMs ?? 40_000;
    this.#poll = options.pollMs ?? 50;
    this.#now = options.now ?? Date.now;
  }

  #key = (key: string) => `${KEY_PREFIX}token:${key}`;

  async get(key: string): Promise<TokenRecord | undefined> {
    const unsaved = this.#unsaved.get(key);
    if (unsaved) {
      // Write it back before anyone reads Redis's older record; until then only this process knows it.
      if (await this.#write(key, unsaved)) this.#unsaved.delete(key);
      return unsaved.record;
    }
    const text = (await attempt("reading renewed tokens", () =>
      this.redis.eval(GET_AND_TOUCH, [this.#key(key)], []),
    )) as string | null;
    return text === null ? undefined : (JSON.parse(text) as Stored).record;
  }

  renew(key: string, seenAccessToken: string | undefined, renew: Renewal, ttlMs: number): Promise<TokenRecord> {
    return singleFlight(this.#renewing, key, () => this.#renewOnce(key, seenAccessToken, renew, ttlMs));
  }

  async #renewOnce(key: string, seen: string | undefined, renew: Renewal, ttlMs: number): Promise<TokenRecord> {
    const lock = `${KEY_PREFIX}lock:${key}`;
    const holder = crypto.randomUUID();
    // Past the lock's TTL a crashed holder's lock has expired and this replica takes over.
    const deadline = this.#now() + 2 * this.#lockTtl;
    for (;;) {
      const current = await this.get(key);
      if (current && current.accessToken !== seen) return current; // renewed meanwhile, here or elsewhere
      if (await attempt("locking a token renewal", () => this.redis.set(lock, holder, this.#lockTtl, true))) {
        try {
          // Another replica may have finished between our read and our lock.
          const latest = await this.get(key);
          if (latest && latest.accessToken !== seen) return latest;
          const record = await renew(latest);
          const stored = { ttlMs, record };
          if (!(await this.#write(key, stored))) this.#unsaved.set(key, stored);
          return record;
        } finally {
          await this.redis.eval(RELEASE, [lock], [holder]).catch(() => {}); // else it expires by itself
        }
      }
      if (this.#now() > deadline) throw new StoreUnavailableError("another replica's token renewal did not finish");
      await new Promise((resolve) => setTimeout(resolve, this.#poll));
    }
  }

  async #write(key: string, stored: Stored): Promise<boolean> {
    try {
      return await this.redis.set(this.#key(key), JSON.stringify(stored), stored.ttlMs);
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    this.#unsaved.delete(key);
    await attempt("forgetting renewed tokens", () => this.redis.del(this.#key(key)));
  }
}
