// What many tests read the same way: a tool result's text, and a JWT's claims.

/** The text a model reads from a tool result (its text parts, one per line). */
export const textOf = (result: unknown): string =>
  (result as { content: { type: string; text?: string }[] }).content.map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("\n");

/** A JWT's payload (its middle part), decoded without checking the signature. */
export function jwtClaims<T = Record<string, unknown>>(token: string): T {
  const part = (token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4))) as T;
}
