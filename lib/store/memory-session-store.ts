// MCP sessions in this process's memory. Idle sessions expire; at the cap the least
// recently used session makes room only if it has been idle a while, otherwise the new
// session is refused ("full"): a flood of initialize requests can fill the free slots
// but never evicts a session someone is using.
import { LRUCache } from "lru-cache";
import { clock } from "./clock.ts";
import { freshSession, type SessionCreateResult, type SessionRecord, type SessionStore, type StoredSession } from "./interfaces.ts";

export interface MemorySessionStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 min. */
  idleTtlMs?: number;
  /** Most live sessions. Default 10 000. */
  maxSessions?: number;
  /** A session used within this time is never evicted to make room. Default 5 min (at most idleTtlMs). */
  protectRecentMs?: number;
  /** Clock for idle times (tests). Default Date.now. */
  now?: () => number;
}

export class MemorySessionStore implements SessionStore {
  readonly #sessions: LRUCache<string, SessionRecord>;
  readonly #ttl: number;
  readonly #max: number;
  readonly #protect: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#ttl = options.idleTtlMs ?? 30 * 60_000;
    this.#max = options.maxSessions ?? 10_000;
    this.#protect = Math.min(options.protectRecentMs ?? 5 * 60_000, this.#ttl);
    // One slot beyond the cap: we decide evictions ourselves, before the cache would.
    this.#sessions = new LRUCache({ max: this.#max + 1, ttl: this.#ttl, updateAgeOnGet: true, ...clock(options.now) });
  }

  async create(id: string, owner: string): Promise<SessionCreateResult> {
    if (this.#sessions.size >= this.#max) this.#sessions.purgeStale();
    while (this.#sessions.size >= this.#max) {
      const oldest = this.#sessions.rkeys().next().value;
      if (oldest === undefined) break;
      const idleFor = this.#ttl - this.#sessions.getRemainingTTL(oldest);
      if (idleFor < this.#protect) return { ok: false, reason: "full" };
      this.#sessions.delete(oldest);
    }
    const state = freshSession();
    this.#sessions.set(id, { owner, state });
    return { ok: true, state };
  }

  async get(id: string, owner: string): Promise<StoredSession | undefined> {
    const record = this.#sessions.peek(id);
    if (!record || record.owner !== owner) return undefined;
    return this.#sessions.get(id)?.state; // get (not peek) refreshes recency and the idle timer
  }

  async save(): Promise<void> {}

  async delete(id: string, owner: string): Promise<boolean> {
    const record = this.#sessions.peek(id);
    if (!record || record.owner !== owner) return false;
    return this.#sessions.delete(id);
  }

  async count(): Promise<number> {
    return this.#sessions.size;
  }
}
