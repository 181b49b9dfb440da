// MCP sessions in this process's memory. Idle sessions expire; at the cap the least
// recently used session makes room only if it has been idle a while, otherwise the new
// session is refused ("full"): a flood of initialize requests can fill the free slots
// but never evicts a session someone is using. Bounded by bytes too: each session is
// charged its state's size (measured when a request saves it); a new session is refused
// while the budget is full of sessions in recent use, and a session that grows past the
// budget pushes out the least recently used ones.
import { LRUCache } from "lru-cache";
import { budgetsForHeap, chargedBytes } from "./budgets.ts";
import { clock } from "./clock.ts";
import {
  freshSession,
  type SessionCreateResult,
  type SessionRecord,
  type SessionStore,
  type StoredSession,
} from "./interfaces.ts";

export interface MemorySessionStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 min. */
  idleTtlMs?: number;
  /** Most live sessions. Default 10 000. */
  maxSessions?: number;
  /** A session used within this time is never evicted to make room. Default 5 min (at most idleTtlMs). */
  protectRecentMs?: number;
  /** Most bytes of session state kept (chargedBytes of each state's JSON). Default: budgetsForHeap().sessionBytes. */
  maxBytes?: number;
  /** Clock for idle times (tests). Default Date.now. */
  now?: () => number;
}

export class MemorySessionStore implements SessionStore {
  readonly #sessions: LRUCache<string, SessionRecord>;
  readonly #ttl: number;
  readonly #max: number;
  readonly #protect: number;
  readonly #maxBytes: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#ttl = options.idleTtlMs ?? 30 * 60_000;
    this.#max = options.maxSessions ?? 10_000;
    this.#protect = Math.min(options.protectRecentMs ?? 5 * 60_000, this.#ttl);
    // One slot beyond the cap: we decide evictions ourselves, before the cache would.
    this.#maxBytes = options.maxBytes ?? budgetsForHeap().sessionBytes;
    this.#sessions = new LRUCache({
      max: this.#max + 1,
      maxSize: this.#maxBytes,
      ttl: this.#ttl,
      updateAgeOnGet: true,
      ...clock(options.now),
    });
  }

  #size = (id: string, record: SessionRecord) =>
    chargedBytes(id.length + record.owner.length + JSON.stringify(record.state).length);

  async create(id: string, owner: string): Promise<SessionCreateResult> {
    const record = { owner, state: freshSession() };
    const size = this.#size(id, record);
    const full = () => this.#sessions.size >= this.#max || this.#sessions.calculatedSize + size > this.#maxBytes;
    if (full()) this.#sessions.purgeStale();
    while (full()) {
      const oldest = this.#sessions.rkeys().next().value;
      if (oldest === undefined) break;
      const idleFor = this.#ttl - this.#sessions.getRemainingTTL(oldest);
      if (idleFor < this.#protect) return { ok: false, reason: "full" };
      this.#sessions.delete(oldest);
    }
    this.#sessions.set(id, record, { size });
    return { ok: true, state: record.state };
  }

  async get(id: string, owner: string): Promise<StoredSession | undefined> {
    const record = this.#sessions.peek(id);
    if (!record || record.owner !== owner) return undefined;
    return this.#sessions.get(id)?.state; // get (not peek) refreshes recency and the idle timer
  }

  /** The state object is the one the store holds: saving only charges its new size. */
  async save(id: string, owner: string, state: StoredSession): Promise<void> {
    const record = this.#sessions.peek(id);
    if (!record || record.owner !== owner) return;
    const next = { owner, state };
    // A new record object: lru-cache re-measures only on a new value.
    this.#sessions.set(id, next, { size: this.#size(id, next), noUpdateTTL: true });
  }

  /** Sessions and bytes held (tests, status). */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#sessions.size, bytes: this.#sessions.calculatedSize };
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const record = this.#sessions.peek(id);
    if (!record || record.owner !== owner) return false;
    return this.#sessions.delete(id);
  }

  async count(): Promise<number> {
    return this.#sessions.size;
  }
}
