// 2025-era sessions and set_session_filter's handles, as store interfaces (the contract of
// store/interfaces.ts). They name the session's state and filter, so they live on its floor.
import type { SessionFilter } from "./filter.ts";
import type { SessionState } from "./session.ts";
import type { AnswerStore, TokenStore } from "./store/interfaces.ts";

/** An MCP session (Mcp-Session-Id) and the caller it belongs to. */
export interface SessionRecord {
  /** Keyed hash of the creator's credential headers (or of "no headers"). */
  owner: string;
  state: SessionState;
}

export type SessionCreateResult = { ok: true; state: SessionState } | { ok: false; reason: "full" };

export interface SessionStore {
  /** A new session for `owner`; `full` when every slot holds a session in recent use. */
  create(id: string, owner: string): Promise<SessionCreateResult>;
  /**
   * The session's state, refreshing its idle timer; undefined when it is unknown, expired
   * or belongs to another owner (indistinguishable on purpose).
   */
  get(id: string, owner: string): Promise<SessionState | undefined>;
  /** Persist what a request changed (a no-op for the in-memory store, which holds the object). */
  save(id: string, owner: string, state: SessionState): Promise<void>;
  /** False when unknown, expired or another owner's. */
  delete(id: string, owner: string): Promise<boolean>;
  count(): Promise<number>;
}

/**
 * Filters saved by set_session_filter under a random handle (filterId, the SEP-2567
 * pattern), each bound to the caller that saved it: `get` with another owner answers
 * undefined, exactly as for an unknown or expired id.
 */
export interface FilterStore {
  put(id: string, owner: string, filter: SessionFilter, ttlMs: number): Promise<void>;
  get(id: string, owner: string): Promise<SessionFilter | undefined>;
}

/** Everything a deployment shares; the shells build it once. */
export interface Stores {
  tokens: TokenStore;
  sessions: SessionStore;
  answers: AnswerStore;
  filters: FilterStore;
}
