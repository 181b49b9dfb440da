// What many tests read the same way: a tool result's text, and a JWT's claims.

/** The text a model reads from a tool result (its text parts, one per line). */
export const textOf = (result: unknown): string =>
  (result as { content: { type: string; text?: string }[] }).content
    .map((c) => (c.type === "text" ? (c.text ?? "") : ""))
    .join("\n");

/** A JWT's payload (its middle part), decoded without checking the signature. */
export function jwtClaims<T = Record<string, unknown>>(token: string): T {
  const part = (token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4))) as T;
}

/** An unsigned JWT carrying `claims` (enough for code that only reads exp and iat). */
export function jwtWith(claims: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}
