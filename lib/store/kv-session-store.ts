// 2025-era session records on Deno KV, shared by every process and isolate.
import { freshSession, type SessionCreateResult, type SessionStore, type StoredSession } from "./interfaces.ts";
import {
  type Expiring,
  expireIn,
  KV_ROOT,
  type KvKey,
  type KvLike,
  type KvStoreOptions,
  readLive,
  touch,
} from "./kv-client.ts";
import { attempt, StoreUnavailableError } from "./store-error.ts";

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
