// One credential's tokens and their renewal: before the JWT's `exp` is near, and once when
// the DXP rejects a token. Renewed tokens live in a TokenStore under the credential's key,
// not in this object: a client dropped from a bounded pool (or served by another replica)
// finds them again, so a rotation is never lost. Concurrent renewals of one credential
// share one refresh call (the DXP rotates refresh tokens: a second refresh with the same
// token would fail), through the store's single-flight `renew`.
import { AuthenticationError, ConfigurationError } from "../errors.ts";
import { SET_ACCESS_TOKEN } from "../settings.ts";
import type { TokenRecord, TokenStore } from "../store/interfaces.ts";
import { MemoryTokenStore } from "../store/memory-token-store.ts";
import type { DxpCredentials } from "./credentials.ts";
import { jwtExpiresAt, jwtIssuedAt } from "./jwt.ts";
import type { TokenRefresh } from "./schemas.ts";

export type RefreshCall = (refreshToken: string) => Promise<TokenRefresh>;

/** Renew this long before `exp` (or at half the token's life, if shorter), so a token does not expire in flight. */
const EXPIRY_MARGIN_MS = 60_000;
/** How long renewed tokens are kept after their last use. */
const RENEWED_TTL_MS = 30 * 24 * 3600_000;
/** Without a readable `exp` on the original access token, how long its holder may use a renewal. */
const ORIGINAL_FALLBACK_MS = 3600_000;

export interface TokenKeeperOptions {
  now?: () => number;
  store?: TokenStore;
  /** The credential's key in the store (CredentialKeys); default: a private store. */
  key?: string;
  /**
   * True for the operator's own credential: its renewals never stop being used. Otherwise
   * (tokens a client brought) the original pair may use its renewals only within the
   * original access token's lifetime: a spent pair does not keep working through us.
   */
  operator?: boolean;
}

interface Current {
  access?: string;
  refresh?: string;
  expiresAt?: number;
}

export class TokenKeeper {
  readonly #original: Current;
  readonly #store: TokenStore;
  readonly #key: string;
  readonly #now: () => number;
  readonly #operator: boolean;
  /** The last record seen: the operator's credential keeps working even if a store lost it. */
  #last: TokenRecord | undefined;
  /** How many refresh calls went upstream for this credential (tests and status read it). */
  refreshes = 0;

  constructor(
    credentials: DxpCredentials,
    private readonly refreshCall: RefreshCall,
    options: TokenKeeperOptions = {},
  ) {
    const access = credentials.accessToken || undefined;
    this.#original = {
      access,
      refresh: credentials.refreshToken || undefined,
      expiresAt: jwtExpiresAt(access)?.getTime(),
    };
    this.#store = options.store ?? new MemoryTokenStore();
    this.#key = options.key ?? "credential";
    this.#now = options.now ?? Date.now;
    this.#operator = options.operator ?? false;
  }

  async #current(): Promise<Current> {
    const record = (await this.#store.get(this.#key)) ?? (this.#operator ? this.#last : undefined);
    if (!record) return this.#original;
    this.#last = record;
    this.refreshes = record.refreshes;
    if (record.originalValidUntil !== undefined && this.#now() >= record.originalValidUntil) {
      throw new AuthenticationError(
        "These DXP tokens were already renewed by this server and the original access token's lifetime is over, so they are not accepted any more.",
        "Issue new tokens in the DXP and send them (X-Nectar-Access-Token / X-Nectar-Refresh-Token, or configure_connection).",
      );
    }
    return { access: record.accessToken, refresh: record.refreshToken, expiresAt: record.expiresAt };
  }

  /** When the last token seen by this keeper expires, if known (a JWT, or the refresh answer's expiresIn). */
  get expiresAt(): Date | undefined {
    const expiresAt = this.#last ? this.#last.expiresAt : this.#original.expiresAt;
    return expiresAt === undefined ? undefined : new Date(expiresAt);
  }

  /** Every token of this credential seen so far here (for redacting upstream text). */
  knownTokens(): string[] {
    return [this.#original.access, this.#original.refresh, this.#last?.accessToken, this.#last?.refreshToken].filter(
      (t): t is string => !!t,
    );
  }

  get canRefresh(): boolean {
    return this.#original.refresh !== undefined;
  }

  /** Throws when this credential may no longer be used (a spent pair past its lifetime); answers from a cache check this too. */
  async ensureUsable(): Promise<void> {
    await this.#current();
  }

  /** A token to send now, renewing first when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    const current = await this.#current();
    const expiring =
      current.access !== undefined && renewAt(current.access, current.expiresAt, this.#now) <= this.#now();
    if (current.access && !(expiring && this.canRefresh)) return current.access;
    if (!this.canRefresh) {
      throw new ConfigurationError(
        "No DXP access token is configured.",
        `Set ${SET_ACCESS_TOKEN}, and ideally a refresh token too.`,
      );
    }
    return this.#renew(current.access);
  }

  /** Called after a 401 for `rejected`: renew unless another call already did. */
  async renewAfterRejection(rejected: string): Promise<string> {
    const current = await this.#current();
    if (current.access !== undefined && current.access !== rejected) return current.access;
    return this.#renew(rejected);
  }

  async #renew(seen: string | undefined): Promise<string> {
    // The operator's last known pair stands in for a record a store lost (it holds the unspent refresh token).
    const record = await this.#store.renew(
      this.#key,
      seen,
      (current) => this.#refreshOnce(current ?? (this.#operator ? this.#last : undefined)),
      RENEWED_TTL_MS,
    );
    this.#last = record;
    this.refreshes = record.refreshes;
    if (!record.accessToken) throw new AuthenticationError("The DXP's token refresh answered without an access token.");
    return record.accessToken;
  }

  async #refreshOnce(current: TokenRecord | undefined): Promise<TokenRecord> {
    const refreshToken = current?.refreshToken ?? this.#original.refresh;
    if (!refreshToken) {
      throw new AuthenticationError(
        "The DXP rejected the access token and no refresh token is configured.",
        `Renew ${SET_ACCESS_TOKEN}, and set a refresh token so it renews itself.`,
      );
    }
    const answer = await this.refreshCall(refreshToken);
    const expiresAt =
      jwtExpiresAt(answer.accessToken)?.getTime() ??
      (answer.expiresIn !== undefined ? this.#now() + answer.expiresIn * 1000 : undefined);
    return {
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken || refreshToken,
      expiresAt,
      originalValidUntil: this.#operator
        ? undefined
        : (current?.originalValidUntil ?? this.#original.expiresAt ?? this.#now() + ORIGINAL_FALLBACK_MS),
      refreshes: (current?.refreshes ?? 0) + 1,
    };
  }
}

/** When a token should be renewed: a margin before `exp`, or halfway for a token living under two minutes. */
function renewAt(access: string, expiresAt: number | undefined, now: () => number): number {
  if (expiresAt === undefined) return Number.POSITIVE_INFINITY;
  const issued = jwtIssuedAt(access)?.getTime();
  const life = expiresAt - (issued ?? now());
  return expiresAt - Math.min(EXPIRY_MARGIN_MS, Math.max(0, life / 2));
}
