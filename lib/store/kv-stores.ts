// The shared stores on Deno KV (openKv: a local SQLite file, or the database every
// isolate of a Deno Deploy project shares): filter handles, 2025-era session records and
// renewed tokens, with the same contracts and semantics as the Redis stores beside them
// (owner-checked reads and deletes, touch on read, one renewal per rotation across
// processes). lib/ never touches Deno's globals: the stores take the small structural KvLike below,
// which a real Deno Kv satisfies; the Deno shell opens it. Answers stay in each isolate's
// memory (see docs/deno.md: a KV value holds at most 64 KiB and a write per read costs more
// than the short-lived reuse gains).
//
// KV's expireIn deletes a key some time *after* it expires (a read may still see it), so
// every value carries its own expiresAt and a read past it is a miss; expireIn only cleans up.
import { filterBudgetError } from "./budgets.ts";
import { CredentialKeys } from "./credential-keys.ts";
import { FILTER_TTL_MS } from "./filter-handles.ts";
import {
  type FilterQuota,
  type FilterStore,
  freshSession,
  type Renewal,
  type SessionCreateResult,
  type SessionStore,
  type StoredSession,
  type TokenRecord,
  type TokenStore,
} from "./interfaces.ts";
import { MemoryAnswerStore } from "./memory-answer-store.ts";
import { quotaWindow } from "./redis-quota.ts";
import type { SharedStores } from "./shared-stores.ts";
import { singleFlight } from "./single-flight.ts";
import { attempt, StoreUnavailableError } from "./store-error.ts";

/** A Deno KV key: a tuple of parts. */
export type KvKey = readonly (string | number)[];

export interface KvEntry {
  value: unknown;
  /** null when the key holds nothing. */
  versionstamp: string | null;
}

export interface KvSetOptions {
  /** Milliseconds after which KV may delete the key (not exactly then: see expiresAt). */
  expireIn?: number;
}

/** An atomic operation: every check must hold for the mutations to commit. */
export interface KvAtomicLike {
  check(...checks: { key: KvKey; versionstamp: string | null }[]): KvAtomicLike;
  set(key: KvKey, value: unknown, options?: KvSetOptions): KvAtomicLike;
  delete(key: KvKey): KvAtomicLike;
  /** ok false when a check failed (another writer came first); versionstamp of what was written. */
  commit(): Promise<{ ok: boolean; versionstamp?: string }>;
}

/** The part of Deno's Kv the stores use. */
export interface KvLike {
  get(key: KvKey): Promise<KvEntry>;
  set(key: KvKey, value: unknown, options?: KvSetOptions): Promise<unknown>;
  delete(key: KvKey): Promise<void>;
  atomic(): KvAtomicLike;
}

/** SQLite's answer when another process holds the write lock (a local KV file shared by processes). */
const BUSY = /database is locked|busy/i;
const BUSY_TRIES = 40;

const pauseMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `operation` retried while SQLite says another process holds the file's write lock: local
 * Deno KV (a SQLite file) answers "database is locked" instead of waiting when several
 * processes open or write it at once. Deno Deploy's KV never does, so this is free there.
 */
export async function whileBusy<T>(
  operation: () => Promise<T>,
  pause: (ms: number) => Promise<void> = pauseMs,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await operation();
    } catch (error) {
      if (tries >= BUSY_TRIES || !BUSY.test(error instanceof Error ? error.message : String(error))) throw error;
      await pause(Math.min(50, 2 * tries) + Math.random() * 5);
    }
  }
}

/**
 * The KV with each operation retried while another process holds the write lock (whileBusy).
 * An atomic operation is replayed from scratch on each try (its checks still decide).
 */
export function waitingForWriters(kv: KvLike, pause: (ms: number) => Promise<void> = pauseMs): KvLike {
  const retried = <T>(operation: () => Promise<T>): Promise<T> => whileBusy(operation, pause);
  const atomic = (steps: ((op: KvAtomicLike) => KvAtomicLike)[]): KvAtomicLike => ({
    check: (...checks) => atomic([...steps, (op) => op.check(...checks)]),
    set: (key, value, options) => atomic([...steps, (op) => op.set(key, value, options)]),
    delete: (key) => atomic([...steps, (op) => op.delete(key)]),
    commit: () => retried(() => steps.reduce((op, step) => step(op), kv.atomic()).commit()),
  });
  return {
    get: (key) => retried(() => kv.get(key)),
    set: (key, value, options) => retried(() => kv.set(key, value, options)),
    delete: (key) => retried(() => kv.delete(key)),
    atomic: () => atomic([]),
  };
}

/** Every key the server writes starts with this part (the Redis stores' "nectar:"). */
export const KV_ROOT = "nectar";

/** What every KV value carries besides its payload: when it stops counting. */
interface Expiring {
  expiresAt: number;
}

const expireIn = (ms: number) => ({ expireIn: Math.max(1, Math.ceil(ms)) });

interface Live<T> {
  value: T;
  versionstamp: string;
}

/** The entry's value while it has not expired by its own clock; undefined otherwise. */
async function readLive<T extends Expiring>(
  kv: KvLike,
  key: KvKey,
  what: string,
  now: number,
): Promise<Live<T> | undefined> {
  const entry = await attempt(what, () => kv.get(key));
  if (entry.versionstamp === null || entry.value === null || typeof entry.value !== "object") return undefined;
  const value = entry.value as T;
  return value.expiresAt > now ? { value, versionstamp: entry.versionstamp } : undefined;
}

/**
 * Restart an entry's idle timer: rewrite it with a later expiry, only if nobody wrote it
 * since we read it (a concurrent save is newer and has restarted the timer itself). Skipped
 * while the entry was written recently (within `granularityMs`), which halves the writes of
 * a session whose every request also saves it. Best effort: a failed touch is not an error.
 */
async function touch<T extends Expiring>(
  kv: KvLike,
  key: KvKey,
  live: Live<T>,
  ttlMs: number,
  granularityMs: number,
  now: number,
): Promise<void> {
  if (live.value.expiresAt - now > ttlMs - granularityMs) return;
  await kv
    .atomic()
    .check({ key, versionstamp: live.versionstamp })
    .set(key, { ...live.value, expiresAt: now + ttlMs }, expireIn(ttlMs))
    .commit()
    .catch(() => {});
}

export interface KvStoreOptions {
  /** The first part of every key. Default "nectar". */
  root?: string;
  now?: () => number;
}

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

export interface KvSessionStoreOptions extends KvStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 min. */
  idleTtlMs?: number;
}

type StoredSessionRecord = Expiring & { owner: string; state: StoredSession };

/**
 * 2025-era sessions on KV: any process or isolate serves any session. Bounded by the idle
 * TTL, not by a per-process cap: `count` is this store's creations minus deletions as seen
 * here, for /readyz only (as on Redis).
 */
export class KvSessionStore implements SessionStore {
  readonly #ttl: number;
  readonly #root: string;
  readonly #now: () => number;
  #count = 0;

  constructor(
    private readonly kv: KvLike,
    options: KvSessionStoreOptions = {},
  ) {
    this.#ttl = options.idleTtlMs ?? 30 * 60_000;
    this.#root = options.root ?? KV_ROOT;
    this.#now = options.now ?? Date.now;
  }

  #key = (id: string): KvKey => [this.#root, "session", id];
  #record = (owner: string, state: StoredSession): StoredSessionRecord => ({
    owner,
    state,
    expiresAt: this.#now() + this.#ttl,
  });

  async create(id: string, owner: string): Promise<SessionCreateResult> {
    const state = freshSession();
    const key = this.#key(id);
    const written = await attempt("creating a session", () =>
      this.kv
        .atomic()
        .check({ key, versionstamp: null })
        .set(key, this.#record(owner, state), expireIn(this.#ttl))
        .commit(),
    );
    if (!written.ok) throw new StoreUnavailableError("a session id collided"); // a random UUID: practically never
    this.#count += 1;
    return { ok: true, state };
  }

  async get(id: string, owner: string): Promise<StoredSession | undefined> {
    const now = this.#now();
    const live = await readLive<StoredSessionRecord>(this.kv, this.#key(id), "reading a session", now);
    if (!live || live.value.owner !== owner) return undefined;
    await touch(this.kv, this.#key(id), live, this.#ttl, Math.min(60_000, this.#ttl / 10), now);
    return live.value.state;
  }

  async save(id: string, owner: string, state: StoredSession): Promise<void> {
    await attempt("saving a session", () =>
      this.kv.set(this.#key(id), this.#record(owner, state), expireIn(this.#ttl)),
    );
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const key = this.#key(id);
    // Delete only the owner's record as read: if it changed meanwhile, read it again.
    for (let tries = 0; tries < 5; tries++) {
      const live = await readLive<StoredSessionRecord>(this.kv, key, "ending a session", this.#now());
      if (!live || live.value.owner !== owner) return false;
      const done = await attempt("ending a session", () =>
        this.kv.atomic().check({ key, versionstamp: live.versionstamp }).delete(key).commit(),
      );
      if (done.ok) {
        this.#count = Math.max(0, this.#count - 1);
        return true;
      }
    }
    throw new StoreUnavailableError("ending a session that kept changing");
  }

  async count(): Promise<number> {
    return this.#count;
  }
}

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

export interface KvStoresOptions {
  /** NECTAR_STORE_SECRET: the same in every process and isolate. */
  secret: string;
  sessionIdleMs?: number;
  /** Longest a token renewal may hold its lock (above the upstream time budget). */
  renewalLockMs?: number;
}

/** Every store a Deno deployment shares, on KV; answers stay in this isolate's memory. */
export function kvStores(opened: KvLike, options: KvStoresOptions): SharedStores {
  const kv = waitingForWriters(opened);
  return {
    keys: new CredentialKeys(new TextEncoder().encode(options.secret)),
    tokens: new KvTokenStore(kv, { lockTtlMs: options.renewalLockMs }),
    sessions: new KvSessionStore(kv, { idleTtlMs: options.sessionIdleMs }),
    answers: new MemoryAnswerStore(),
    filters: new KvFilterStore(kv),
    // KV has no connection to lose (a local file, or Deploy's own database): a failed
    // operation is a StoreUnavailableError on that call.
    ready: () => true,
  };
}
