// Read a JWT's `exp` and `iat` without verifying it: we only need to know when to refresh.
// Anything that is not a readable JWT yields undefined (the DXP decides validity).

export const jwtExpiresAt = (token: string | undefined): Date | undefined => claimDate(token, "exp");
export const jwtIssuedAt = (token: string | undefined): Date | undefined => claimDate(token, "iat");

function claimDate(token: string | undefined, claim: "exp" | "iat"): Date | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const claims: unknown = JSON.parse(atob(base64));
    const seconds = (claims as Record<string, unknown> | null)?.[claim];
    if (typeof seconds !== "number" || !Number.isFinite(seconds)) return undefined;
    const date = new Date(seconds * 1000);
    // exp = 1e300 is a finite number but no date (toISOString would throw): treat as unreadable.
    return Number.isNaN(date.getTime()) ? undefined : date;
  } catch {
    return undefined;
  }
}
