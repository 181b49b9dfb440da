// The shared stores on Redis, so that several replicas serve the same callers without
// affinity: filter handles, 2025-era session records, answers and renewed tokens. Keys
// are a fixed prefix plus a random id or a keyed hash of a credential (CredentialKeys),
// never a raw token; every key carries a TTL. A command that fails or times out becomes a
// StoreUnavailableError: the caller gets an honest error, never another caller's data.
// Caller-made records (filters, session states, answers) are written under quotas
// (redis-quota.ts) so that they can never fill Redis.
import { BudgetExceededError, filterBudgetError, formatBytes } from "./budgets.ts";
import {
  type AnswerStore,
  type FilterQuota,
  type FilterStore,
  freshSession,
  type SessionCreateResult,
  type SessionRecord,
  type SessionStore,
  type StoredSession,
} from "./interfaces.ts";
import { KEY_PREFIX, type RedisLike } from "./redis-client.ts";
import { putCharged, quotaWindow } from "./redis-quota.ts";
import { StoreUnavailableError } from "./store-error.ts";

/** Run a Redis command; any failure (down, timeout) is said as the store being unavailable. */
export async function attempt<T>(what: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch {
    throw new StoreUnavailableError(what);
  }
}

/** A stored record, or undefined when absent or not JSON (a garbage record is treated as missing, never a 500). */
const parse = <T>(text: unknown): T | undefined => {
  if (typeof text !== "string") return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" ? (value as T) : undefined;
  } catch {
    return undefined;
  }
};

export interface RedisFilterStoreOptions {
  /** Bytes of saved filters all callers may keep in Redis together (charged per write). Default 32 MiB. */
  maxBytes?: number;
  now?: () => number;
}

/** The longest a saved filter lives (filter-handles.ts FILTER_TTL_MS); the quota window covers it. */
const FILTER_WINDOW_MS = 24 * 3600_000;

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
        window: quotaWindow("filter", Math.max(ttlMs, FILTER_WINDOW_MS), this.#maxBytes),
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
    const record = parse<{ owner: string; filter: object }>(await attempt("reading a filter", () => this.redis.get(`${KEY_PREFIX}filter:${id}`)));
    return record && record.owner === owner ? record.filter : undefined;
  }
}

/** GET that also restarts the key's idle timer and its expiry in the live set (KEYS[2], member ARGV[2], score ARGV[3]). */
const GET_AND_TOUCH =
  "local v = redis.call('GET', KEYS[1]); if v then redis.call('PEXPIRE', KEYS[1], ARGV[1]); redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[2]); redis.call('PEXPIRE', KEYS[2], ARGV[1]) end; return v";
/** DEL only when the stored record belongs to ARGV[1] (its JSON starts with the owner); also leaves the live set. */
const DELETE_OWNED =
  "local v = redis.call('GET', KEYS[1]); if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then redis.call('ZREM', KEYS[2], ARGV[2]); return redis.call('DEL', KEYS[1]) end; return 0";
/** Room for one more live session: drop expired members of the live set (KEYS[1]) before ARGV[1], then count against ARGV[2]. */
const ROOM = "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]); if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end; return 1";

export interface RedisSessionStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 min. */
  idleTtlMs?: number;
  /** Most live sessions, all replicas together. Default 10 000. */
  maxSessions?: number;
  /** Bytes of session state written within an idle time, all replicas together. Default 16 MiB. */
  maxBytes?: number;
  /** Largest state one session may hold (bytes of JSON). Default 64 KiB. */
  maxSessionBytes?: number;
  now?: () => number;
}

/**
 * 2025-era sessions on Redis: any replica serves any session. Bounded by the idle TTL, by
 * a cap on live sessions shared by every replica (a sorted set of ids by expiry), and by
 * bytes: each changed state is charged to the sessions' quota. `count` is the live set's size.
 */
export class RedisSessionStore implements SessionStore {
  readonly #ttl: number;
  readonly #max: number;
  readonly #maxBytes: number;
  readonly #maxSessionBytes: number;
  readonly #now: () => number;
  readonly #live = `${KEY_PREFIX}sessions`;

  constructor(
    private readonly redis: RedisLike,
    options: RedisSessionStoreOptions = {},
  ) {
    this.#ttl = options.idleTtlMs ?? 30 * 60_000;
    this.#max = options.maxSessions ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.#maxSessionBytes = options.maxSessionBytes ?? 64 * 1024;
    this.#now = options.now ?? Date.now;
  }

  #key = (id: string) => `${KEY_PREFIX}session:${id}`;
  /** The owner leads the JSON, so a Lua prefix check can match it. */
  #encode = (record: SessionRecord) => JSON.stringify({ owner: record.owner, state: record.state });
  #ownerPrefix = (owner: string) => `{"owner":${JSON.stringify(owner)},`;

  #write(id: string, value: string, onlyIfAbsent: boolean) {
    return putCharged(this.redis, { key: this.#key(id), value, ttlMs: this.#ttl, window: quotaWindow("session", this.#ttl, this.#maxBytes), onlyIfAbsent, now: this.#now() });
  }

  async create(id: string, owner: string): Promise<SessionCreateResult> {
    const state = freshSession();
    const now = this.#now();
    const room = await attempt("creating a session", () => this.redis.eval(ROOM, [this.#live], [now, this.#max]));
    if (Number(room) !== 1) return { ok: false, reason: "full" };
    const written = await attempt("creating a session", () => this.#write(id, this.#encode({ owner, state }), true));
    if (written === "over-total") return { ok: false, reason: "full" };
    if (written !== "written") throw new StoreUnavailableError("a session id collided"); // a random UUID: practically never
    await attempt("creating a session", () => this.redis.eval("redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]); return redis.call('PEXPIRE', KEYS[1], ARGV[3])", [this.#live], [now + this.#ttl, id, this.#ttl]));
    return { ok: true, state };
  }

  async get(id: string, owner: string): Promise<StoredSession | undefined> {
    const text = await attempt("reading a session", () => this.redis.eval(GET_AND_TOUCH, [this.#key(id), this.#live], [this.#ttl, id, this.#now() + this.#ttl]));
    const record = parse<SessionRecord>(text);
    return record && record.owner === owner && record.state && typeof record.state === "object" ? record.state : undefined;
  }

  async save(id: string, owner: string, state: StoredSession): Promise<void> {
    const value = this.#encode({ owner, state });
    if (value.length > this.#maxSessionBytes) {
      throw new BudgetExceededError(`This session's state (${formatBytes(value.length)}) is over the ${formatBytes(this.#maxSessionBytes)} a session may keep; the change was not kept.`, "Clear the session filter (set_session_filter with clear: true) or start a new session.");
    }
    const written = await attempt("saving a session", () => this.#write(id, value, false));
    if (written === "over-total") {
      throw new BudgetExceededError("The server's shared store holds its limit of session state; this session's change was not kept.", "Retry in a few minutes, or pass filters to each tool call instead.");
    }
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const deleted = await attempt("ending a session", () => this.redis.eval(DELETE_OWNED, [this.#key(id), this.#live], [this.#ownerPrefix(owner), id]));
    return Number(deleted) === 1;
  }

  async count(): Promise<number> {
    return Number(await attempt("counting sessions", () => this.redis.eval("redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]); return redis.call('ZCARD', KEYS[1])", [this.#live], [this.#now()])));
  }
}

export interface RedisAnswerStoreOptions {
  /** Answers larger than this (estimated bytes) are not shared. Default 1 MiB. */
  maxAnswerBytes?: number;
  /** Bytes of answers written within an answer's TTL, all replicas together; past it answers are not shared. Default 16 MiB. */
  maxBytes?: number;
  now?: () => number;
}

/**
 * Answers of DXP reads on Redis, per credential (the key starts with the credential's
 * keyed hash). A cache: when Redis fails, the answer is simply not reused (reads go
 * upstream), which is slower but never wrong.
 */
export class RedisAnswerStore implements AnswerStore {
  readonly #max: number;
  readonly #maxBytes: number;
  readonly #now: () => number;

  constructor(
    private readonly redis: RedisLike,
    options: RedisAnswerStoreOptions = {},
  ) {
    this.#max = options.maxAnswerBytes ?? 1024 * 1024;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
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
      // Over the quota the answer is simply not shared (the next read goes upstream).
      await putCharged(this.redis, {
        key: `${KEY_PREFIX}answer:${key}`,
        value: JSON.stringify(value),
        ttlMs: options.ttlMs,
        window: quotaWindow("answer", Math.max(options.ttlMs, 60_000), this.#maxBytes),
        now: this.#now(),
      });
    } catch {
      // not kept: the next read goes upstream
    }
  }
}
