// What the DXP client remembers between requests (renewed tokens, answers), as
// interfaces: the in-memory implementations in this folder are the default for one
// process; a shared store (Redis, say) implements the same contracts so that several
// replicas can serve the same callers. Every method is async and every entry carries a
// TTL. Credential keys are keyed hashes (CredentialKeys). A session's state and a saved filter
// are JSON to the stores: their fields are the session floor's (../session.ts, ../session-store.ts).

/** One credential's current tokens, as renewed by this server. */
export interface TokenRecord {
  accessToken?: string;
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), when known. */
  expiresAt?: number;
  /**
   * Until when (ms since the epoch) callers presenting the credential's *original* pair may
   * use this renewal; undefined for the operator's own credential (no limit). See the
   * docs/security.md, "Renewed tokens and revocation".
   */
  originalValidUntil?: number;
  /** Upstream refresh calls made for this credential so far. */
  refreshes: number;
}

/** Makes the renewed record from the current one (undefined before the first renewal). */
export type Renewal = (current: TokenRecord | undefined) => Promise<TokenRecord>;

export interface TokenStore {
  get(key: string): Promise<TokenRecord | undefined>;
  /**
   * Renew credential `key` once for everyone who saw `seenAccessToken` as current. When
   * the stored access token already differs from it, another caller (or replica) renewed
   * meanwhile and that record is returned without calling `renew`. Otherwise `renew` runs
   * with the current record and its result is stored for `ttlMs` (refreshed on each get).
   * A shared implementation holds a lock across processes while `renew` runs, so exactly
   * one replica spends a rotating refresh token and the others read the result.
   */
  renew(key: string, seenAccessToken: string | undefined, renew: Renewal, ttlMs: number): Promise<TokenRecord>;
  delete(key: string): Promise<void>;
}

/** Answers of idempotent DXP reads, per credential (the key starts with its credential key). */
export interface AnswerStore {
  get(key: string): Promise<unknown | undefined>;
  /** `sizeBytes` is an estimate (the answer's JSON length) used to bound the store by bytes. */
  set(key: string, value: unknown, options: { ttlMs: number; sizeBytes: number }): Promise<void>;
}

/** A session's state as the stores hold it: it starts with no filter. */
export interface StoredSession {
  filter: object;
}

export const freshSession = (): StoredSession => ({ filter: {} });

/** An MCP session (Mcp-Session-Id) and the caller it belongs to. */
export interface SessionRecord<S = StoredSession> {
  /** Keyed hash of the creator's credential headers (or of "no headers"). */
  owner: string;
  state: S;
}

export type SessionCreateResult<S = StoredSession> = { ok: true; state: S } | { ok: false; reason: "full" };

export interface SessionStore<S = StoredSession> {
  /** A new session for `owner`; `full` when every slot holds a session in recent use. */
  create(id: string, owner: string): Promise<SessionCreateResult<S>>;
  /**
   * The session's state, refreshing its idle timer; undefined when it is unknown, expired
   * or belongs to another owner (indistinguishable on purpose).
   */
  get(id: string, owner: string): Promise<S | undefined>;
  /** Persist what a request changed (a no-op for the in-memory store, which holds the object). */
  save(id: string, owner: string, state: S): Promise<void>;
  /** False when unknown, expired or another owner's. */
  delete(id: string, owner: string): Promise<boolean>;
  count(): Promise<number>;
}

/**
 * Filters saved by set_session_filter under a random handle (filterId, the SEP-2567
 * pattern), each bound to the caller that saved it: `get` with another owner answers
 * undefined, exactly as for an unknown or expired id.
 */
export interface FilterStore<F = object> {
  /**
   * With a quota, a put that would take the owner's saved filters past `quota.ownerBytes`
   * throws a BudgetExceededError and keeps nothing (re-putting an id replaces its bytes).
   */
  put(id: string, owner: string, filter: F, ttlMs: number, quota?: FilterQuota): Promise<void>;
  get(id: string, owner: string): Promise<F | undefined>;
}

/** How many bytes of saved filters one owner may keep (budgets.ts). */
export interface FilterQuota {
  ownerBytes: number;
  /** The owner stands for every caller without credential headers (said in the error). */
  anonymous?: boolean;
}

/** Everything a deployment shares; the shells build it once. */
export interface Stores {
  tokens: TokenStore;
  sessions: SessionStore;
  answers: AnswerStore;
  filters: FilterStore;
}
