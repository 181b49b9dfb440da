// 2025-era session records on Redis, so that any replica serves any session without
// affinity. Keys are a fixed prefix plus the random session id, each with the idle TTL;
// reads and deletes are owner-checked in Lua. Changed states are charged to the sessions'
// quota (redis-quota.ts). A command that fails or times out is a StoreUnavailableError.
import { BudgetExceededError, formatBytes } from "./budgets.ts";
import {
  freshSession,
  type SessionCreateResult,
  type SessionRecord,
  type SessionStore,
  type StoredSession,
} from "./interfaces.ts";
import { KEY_PREFIX, parseStored, type RedisLike } from "./redis-client.ts";
import { putCharged, quotaWindow } from "./redis-quota.ts";
import { attempt, StoreUnavailableError } from "./store-error.ts";

/** GET that also restarts the key's idle timer and its expiry in the live set (KEYS[2], member ARGV[2], score ARGV[3]). */
const GET_AND_TOUCH =
  "local v = redis.call('GET', KEYS[1]); if v then redis.call('PEXPIRE', KEYS[1], ARGV[1]); redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[2]); redis.call('PEXPIRE', KEYS[2], ARGV[1]) end; return v";
/** DEL only when the stored record belongs to ARGV[1] (its JSON starts with the owner); also leaves the live set. */
const DELETE_OWNED =
  "local v = redis.call('GET', KEYS[1]); if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then redis.call('ZREM', KEYS[2], ARGV[2]); return redis.call('DEL', KEYS[1]) end; return 0";
/** Room for one more live session: drop expired members of the live set (KEYS[1]) before ARGV[1], then count against ARGV[2]. */
const ROOM =
  "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]); if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end; return 1";

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
    return putCharged(this.redis, {
      key: this.#key(id),
      value,
      ttlMs: this.#ttl,
      window: quotaWindow("session", this.#ttl, this.#maxBytes),
      onlyIfAbsent,
      now: this.#now(),
    });
  }

  async create(id: string, owner: string): Promise<SessionCreateResult> {
    const state = freshSession();
    const now = this.#now();
    const room = await attempt("creating a session", () => this.redis.eval(ROOM, [this.#live], [now, this.#max]));
    if (Number(room) !== 1) return { ok: false, reason: "full" };
    const written = await attempt("creating a session", () => this.#write(id, this.#encode({ owner, state }), true));
    if (written === "over-total") return { ok: false, reason: "full" };
    if (written !== "written") throw new StoreUnavailableError("a session id collided"); // a random UUID: practically never
    await attempt("creating a session", () =>
      this.redis.eval(
        "redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]); return redis.call('PEXPIRE', KEYS[1], ARGV[3])",
        [this.#live],
        [now + this.#ttl, id, this.#ttl],
      ),
    );
    return { ok: true, state };
  }

  async get(id: string, owner: string): Promise<StoredSession | undefined> {
    const text = await attempt("reading a session", () =>
      this.redis.eval(GET_AND_TOUCH, [this.#key(id), this.#live], [this.#ttl, id, this.#now() + this.#ttl]),
    );
    const record = parseStored<SessionRecord>(text);
    return record && record.owner === owner && record.state && typeof record.state === "object"
      ? record.state
      : undefined;
  }

  async save(id: string, owner: string, state: StoredSession): Promise<void> {
    const value = this.#encode({ owner, state });
    if (value.length > this.#maxSessionBytes) {
      throw new BudgetExceededError(
        `This session's state (${formatBytes(value.length)}) is over the ${formatBytes(this.#maxSessionBytes)} a session may keep; the change was not kept.`,
        "Clear the session filter (set_session_filter with clear: true) or start a new session.",
      );
    }
    const written = await attempt("saving a session", () => this.#write(id, value, false));
    if (written === "over-total") {
      throw new BudgetExceededError(
        "The server's shared store holds its limit of session state; this session's change was not kept.",
        "Retry in a few minutes, or pass filters to each tool call instead.",
      );
    }
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const deleted = await attempt("ending a session", () =>
      this.redis.eval(DELETE_OWNED, [this.#key(id), this.#live], [this.#ownerPrefix(owner), id]),
    );
    return Number(deleted) === 1;
  }

  async count(): Promise<number> {
    return Number(
      await attempt("counting sessions", () =>
        this.redis.eval(
          "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]); return redis.call('ZCARD', KEYS[1])",
          [this.#live],
          [this.#now()],
        ),
      ),
    );
  }
}
