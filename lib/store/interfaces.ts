// What the DXP client remembers between requests (renewed tokens, answers), as
// interfaces: the in-memory implementations in this folder are the default for one
// process; a shared store (Redis, say) implements the same contracts so that several
// replicas can serve the same callers. Every method is async and every entry carries a
// TTL. Credential keys are keyed hashes (CredentialKeys). Sessions, filters: ../session-store.ts.

/** One credential's current tokens, as renewed by this server. */
export interface TokenRecord {
  accessToken?: string;
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), when known. */
  expiresAt?: number;
  /**
   * Until when (ms since the epoch) callers presenting the credential's *original* pair may
   * use this renewal; undefined for the operator's own credential (no limit). See the
   * README's Security section, "Renewed tokens and revocation".
   */
  originalValidUntil?: number;
  /** Upstream refresh calls made for this credential so far. */
  refreshes: number;
}

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
  renew(
    key: string,
    seenAccessToken: string | undefined,
    renew: (current: TokenRecord | undefined) => Promise<TokenRecord>,
    ttlMs: number,
  ): Promise<TokenRecord>;
  delete(key: string): Promise<void>;
}

/** Answers of idempotent DXP reads, per credential (the key starts with its credential key). */
export interface AnswerStore {
  get(key: string): Promise<unknown | undefined>;
  /** `sizeBytes` is an estimate (the answer's JSON length) used to bound the store by bytes. */
  set(key: string, value: unknown, options: { ttlMs: number; sizeBytes: number }): Promise<void>;
}
