// Holds one credential's current access and refresh tokens and renews them: before the
// JWT's `exp` is near, and once when the DXP rejects a token. Concurrent callers that
// need a renewal share one refresh call (the DXP rotates refresh tokens, so two parallel
// refreshes with the same token would make the second fail).
import { AuthenticationError, ConfigurationError } from "../errors.ts";
import type { DxpCredentials } from "./credentials.ts";
import { jwtExpiresAt, jwtIssuedAt } from "./jwt.ts";
import type { TokenRefresh } from "./schemas.ts";

export type RefreshCall = (refreshToken: string) => Promise<TokenRefresh>;

/** Renew this long before `exp` (or at half the token's life, if shorter), so a token does not expire in flight. */
const EXPIRY_MARGIN_MS = 60_000;

export class TokenKeeper {
  #access: string | undefined;
  #refresh: string | undefined;
  #expiresAt: Date | undefined;
  /** When the current token should be renewed. */
  #renewAt: number | undefined;
  #pending: Promise<string> | undefined;
  /** How many refresh calls went upstream (tests and status read it). */
  refreshes = 0;

  constructor(
    credentials: DxpCredentials,
    private readonly refreshCall: RefreshCall,
    private readonly now: () => number = Date.now,
  ) {
    this.#access = credentials.accessToken || undefined;
    this.#refresh = credentials.refreshToken || undefined;
    this.#setExpiry(jwtExpiresAt(this.#access));
  }

  #setExpiry(expiresAt: Date | undefined): void {
    this.#expiresAt = expiresAt;
    if (!expiresAt) {
      this.#renewAt = undefined;
      return;
    }
    // A token that lives under two minutes is renewed halfway, not before every call.
    const issued = jwtIssuedAt(this.#access);
    const life = expiresAt.getTime() - (issued?.getTime() ?? this.now());
    this.#renewAt = expiresAt.getTime() - Math.min(EXPIRY_MARGIN_MS, Math.max(0, life / 2));
  }

  get expiresAt(): Date | undefined {
    return this.#expiresAt;
  }

  get canRefresh(): boolean {
    return this.#refresh !== undefined;
  }

  /** A token to send now, renewing first when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    const expiring = this.#renewAt !== undefined && this.#renewAt <= this.now();
    if (this.#access && !(expiring && this.canRefresh)) return this.#access;
    if (!this.canRefresh) {
      throw new ConfigurationError(
        "No DXP access token is configured.",
        "Set NECTAR_ACCESS_TOKEN (or the X-Nectar-Access-Token header, or call configure_connection), and ideally a refresh token too.",
      );
    }
    return this.renew();
  }

  /** Called after a 401 for `rejected`: renew unless another call already did. */
  async renewAfterRejection(rejected: string): Promise<string> {
    if (this.#access !== undefined && this.#access !== rejected) return this.#access;
    return this.renew();
  }

  private renew(): Promise<string> {
    this.#pending ??= this.refreshOnce().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  private async refreshOnce(): Promise<string> {
    const refreshToken = this.#refresh;
    if (!refreshToken) {
      throw new AuthenticationError(
        "The DXP rejected the access token and no refresh token is configured.",
        "Renew the access token (NECTAR_ACCESS_TOKEN, X-Nectar-Access-Token or configure_connection), and set a refresh token so it renews itself.",
      );
    }
    this.refreshes += 1;
    const answer = await this.refreshCall(refreshToken);
    this.#access = answer.accessToken;
    if (answer.refreshToken) this.#refresh = answer.refreshToken;
    this.#setExpiry(
      jwtExpiresAt(answer.accessToken) ??
        (answer.expiresIn !== undefined ? new Date(this.now() + answer.expiresIn * 1000) : undefined),
    );
    return answer.accessToken;
  }
}
