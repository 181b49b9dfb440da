// The shared stores on Redis, so that several replicas serve the same callers without
// affinity: filter handles, 2025-era session records, answers and renewed tokens. Keys
// are a fixed prefix plus a random id or a keyed hash of a credential (CredentialKeys),
// never a raw token; every key carries a TTL. A command that fails or times out becomes a
// StoreUnavailableError: the caller gets an honest error, never another caller's data.
import {
  type AnswerStore,
  type FilterStore,
  freshSession,
  type SessionCreateResult,
  type SessionRecord,
  type SessionStore,
  type StoredSession,
} from "./interfaces.ts";
import { KEY_PREFIX, type RedisLike } from "./redis-client.ts";
import { StoreUnavailableError } from "./store-error.ts";

/** Run a Redis command; any failure (down, timeout) is said as the store being unavailable. */
export async function attempt<T>(what: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch {
    throw new StoreUnavailableError(what);
  }
}

const parse = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

export class RedisFilterStore implements FilterStore {
  constructor(private readonly redis: RedisLike) {}

  async put(id: string, owner: string, filter: object, ttlMs: number): Promise<void> {
    await attempt("saving a filter", () => this.redis.set(`${KEY_PREFIX}filter:${id}`, JSON.stringify({ owner, filter }), ttlMs));
  }

  async get(id: string, owner: string): Promise<object | undefined> {
    const record = parse<{ owner: string; filter: object }>(await attempt("reading a filter", () => this.redis.get(`${KEY_PREFIX}filter:${id}`)));
    return record && record.owner === owner ? record.filter : undefined;
  }
}

/** GET that also restarts the key's idle timer. */
const GET_AND_TOUCH = "local v = redis.call('GET', KEYS[1]); if v then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return v";
/** DEL only when the stored record belongs to ARGV[1] (its JSON starts with the owner). */
const DELETE_OWNED = "local v = redis.call('GET', KEYS[1]); if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end; return 0";

export interface RedisSessionStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 min. */
  idleTtlMs?: number;
}

/**
 * 2025-era sessions on Redis: any replica serves any session. Bounded by the idle TTL
 * (and Redis's own maxmemory), not by a per-process cap: `count` is this store's
 * creations minus deletions as seen here, for /readyz only.
 */
export class RedisSessionStore implements SessionStore {
  readonly #ttl: number;
  #count = 0;

  constructor(
    private readonly redis: RedisLike,
    options: RedisSessionStoreOptions = {},
  ) {
    this.#ttl = options.idleTtlMs ?? 30 * 60_000;
  }

  #key = (id: string) => `${KEY_PREFIX}session:${id}`;
  /** The owner leads the JSON, so a Lua prefix check can match it. */
  #encode = (record: SessionRecord) => JSON.stringify({ owner: record.owner, state: record.state });
  #ownerPrefix = (owner: string) => `{"owner":${JSON.stringify(owner)},`;

  async create(id: string, owner: string): Promise<SessionCreateResult> {
    const state = freshSession();
    const written = await attempt("creating a session", () => this.redis.set(this.#key(id), this.#encode({ owner, state }), this.#ttl, true));
    if (!written) throw new StoreUnavailableError("a session id collided"); // a random UUID: practically never
    this.#count += 1;
    return { ok: true, state };
  }

  async get(id: string, owner: string): Promise<StoredSession | undefined> {
    const text = (await attempt("reading a session", () => this.redis.eval(GET_AND_TOUCH, [this.#key(id)], [this.#ttl]))) as string | null;
    const record = parse<SessionRecord>(text);
    return record && record.owner === owner ? record.state : undefined;
  }

  async save(id: string, owner: string, state: StoredSession): Promise<void> {
    await attempt("saving a session", () => this.redis.set(this.#key(id), this.#encode({ owner, state }), this.#ttl));
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const deleted = await attempt("ending a session", () => this.redis.eval(DELETE_OWNED, [this.#key(id)], [this.#ownerPrefix(owner)]));
    if (Number(deleted) === 1) this.#count = Math.max(0, this.#count - 1);
    return Number(deleted) === 1;
  }

  async count(): Promise<number> {
    return this.#count;
  }
}

export interface RedisAnswerStoreOptions {
  /** Answers larger than this (estimated bytes) are not shared. Default 1 MiB. */
  maxAnswerBytes?: number;
}

/**
 * Answers of DXP reads on Redis, per credential (the key starts with the credential's
 * keyed hash). A cache: when Redis fails, the answer is simply not reused (reads go
 * upstream), which is slower but never wrong.
 */
export class RedisAnswerStore implements AnswerStore {
  readonly #max: number;

  constructor(
    private readonly redis: RedisLike,
    options: RedisAnswerStoreOptions = {},
  ) {
    this.#max = options.maxAnswerBytes ?? 1024 * 1024;
  }

  async get(key: string): Promise<unknown | undefined> {
    try {
      return parse(await this.redis.get(`${KEY_PREFIX}answer:${key}`));
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, options: { ttlMs: number; sizeBytes: number }): Promise<void> {
    if (options.sizeBytes > this.#max) return;
    try {
      await this.redis.set(`${KEY_PREFIX}answer:${key}`, JSON.stringify(value), options.ttlMs);
    } catch {
      // not kept: the next read goes upstream
    }
  }
}
