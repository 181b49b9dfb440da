// Read a JWT's `exp` and `iat` without verifying it: we only need to know when to refresh.
// Anything that is not a readable JWT yields undefined (the DXP decides validity).

export const jwtExpiresAt = (token: string | undefined): Date | undefined => claimDate(token, "exp");
export const jwtIssuedAt = (token: string | undefined): Date | undefined => claimDate(token, "iat");

/** The last token decoded and its claims: every upstream request asks about the token it sends. */
let last: { token: string; claims: Record<string, unknown> | undefined } | undefined;

function claimsOf(token: string): Record<string, unknown> | undefined {
  if (last?.token === token) return last.claims;
  const payload = token.split(".")[1] ?? "";
  let claims: Record<string, unknown> | undefined;
  try {
    const base64 = payload
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(payload.length / 4) * 4, "=");
    claims = payload ? ((JSON.parse(atob(base64)) as Record<string, unknown> | null) ?? undefined) : undefined;
  } catch {
    claims = undefined;
  }
  last = { token, claims };
  return claims;
}

function claimDate(token: string | undefined, claim: "exp" | "iat"): Date | undefined {
  const seconds = token ? claimsOf(token)?.[claim] : undefined;
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * 1000);
  // exp = 1e300 is a finite number but no date (toISOString would throw): treat as unreadable.
  return Number.isNaN(date.getTime()) ? undefined : date;
}
