// Access and refresh tokens. An access token is JWT-shaped, so a client can decode
// `exp` without verifying; verification is a lookup in this store plus an expiry check
// against the simulator's clock. Refresh tokens are opaque and rotate on use.

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface AccessClaims {
  sub: string;
  tenants: string[];
  iat: number;
  exp: number;
  jti: string;
}

export type Verification =
  | { ok: true; claims: AccessClaims }
  | { ok: false; error: "invalid_token" | "token_expired"; message: string };

interface RefreshGrant {
  sub: string;
  tenants: string[];
  lifetimeSeconds: number;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));
const encodeJson = (value: unknown) => base64url(encoder.encode(JSON.stringify(value)));

/** The tokens this simulated DXP issued and still honours (not a store of ours: lib/store/ holds those). */
export class IssuedTokens {
  readonly #access = new Map<string, AccessClaims>();
  readonly #refresh = new Map<string, RefreshGrant>();

  constructor(
    private readonly now: () => number,
    private readonly defaultLifetimeSeconds: number,
  ) {}

  issue(options: { tenants: string[]; lifetimeSeconds?: number; subject?: string }): TokenGrant {
    const lifetimeSeconds = options.lifetimeSeconds ?? this.defaultLifetimeSeconds;
    if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0)
      throw new RangeError("lifetimeSeconds must be a positive number");
    const grant = { sub: options.subject ?? "simulator-user", tenants: [...options.tenants], lifetimeSeconds };
    const iat = Math.floor(this.now() / 1000);
    const claims: AccessClaims = {
      sub: grant.sub,
      tenants: grant.tenants,
      iat,
      exp: iat + lifetimeSeconds,
      jti: base64url(randomBytes(12)),
    };
    const accessToken = `${encodeJson({ alg: "HS256", typ: "JWT" })}.${encodeJson(claims)}.${base64url(randomBytes(32))}`;
    const refreshToken = `rt.${base64url(randomBytes(32))}`;
    this.#access.set(accessToken, claims);
    this.#refresh.set(refreshToken, grant);
    return { accessToken, refreshToken, expiresIn: lifetimeSeconds };
  }

  verify(token: string | null): Verification {
    const claims = token === null ? undefined : this.#access.get(token);
    if (!claims)
      return {
        ok: false,
        error: "invalid_token",
        message: token === null ? "Missing Bearer token." : "Unknown access token.",
      };
    if (claims.exp * 1000 <= this.now())
      return { ok: false, error: "token_expired", message: "The access token has expired." };
    return { ok: true, claims };
  }

  /** Make a known access token expire now (the expire-token fault). */
  expire(token: string): void {
    const claims = this.#access.get(token);
    if (claims) claims.exp = Math.min(claims.exp, Math.floor(this.now() / 1000));
  }

  /** Rotate: the presented refresh token is spent whether or not the caller uses the answer. */
  refresh(refreshToken: string): TokenGrant | null {
    const grant = this.#refresh.get(refreshToken);
    if (!grant) return null;
    this.#refresh.delete(refreshToken);
    return this.issue({ tenants: grant.tenants, lifetimeSeconds: grant.lifetimeSeconds, subject: grant.sub });
  }
}
