// MCP sessions (Mcp-Session-Id) and what each remembers. The store is an interface so
// that a shared store (Redis, say) can back several replicas later; the in-memory store
// is the default: idle sessions expire, and past the cap the least recently used goes.
import { newSessionState, type SessionState } from "../session.ts";

export interface SessionStore {
  create(id: string): Promise<SessionState>;
  /** The session's state, refreshing its idle timer; undefined when unknown or expired. */
  get(id: string): Promise<SessionState | undefined>;
  /** Persist changes a request made (a no-op for the in-memory store, which holds the object). */
  save(id: string, state: SessionState): Promise<void>;
  delete(id: string): Promise<boolean>;
  readonly size: number;
}

export interface MemoryStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 min. */
  idleTtlMs?: number;
  /** Most live sessions; past it the least recently used is dropped. Default 10 000. */
  maxSessions?: number;
  now?: () => number;
}

interface Entry {
  state: SessionState;
  lastUsed: number;
}

export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#ttl = options.idleTtlMs ?? 30 * 60_000;
    this.#max = options.maxSessions ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async create(id: string): Promise<SessionState> {
    this.#sweep();
    const state = newSessionState();
    this.#entries.set(id, { state, lastUsed: this.#now() });
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    return state;
  }

  async get(id: string): Promise<SessionState | undefined> {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (this.#now() - entry.lastUsed > this.#ttl) {
      this.#entries.delete(id);
      return undefined;
    }
    // Re-insert so Map order stays least-recently-used first.
    this.#entries.delete(id);
    entry.lastUsed = this.#now();
    this.#entries.set(id, entry);
    return entry.state;
  }

  async save(): Promise<void> {}

  async delete(id: string): Promise<boolean> {
    return this.#entries.delete(id);
  }

  /** Drop expired sessions; they sit at the front of the Map (least recently used first). */
  #sweep(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) {
      if (now - entry.lastUsed <= this.#ttl) break;
      this.#entries.delete(id);
    }
  }
}
