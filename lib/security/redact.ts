// Upstream text (a DXP error message, say) can quote what it was sent. Before such text
// reaches a tool result or a log, every token of the credential involved and anything
// shaped like a JWT is cut out of it.

/** Three base64url segments, the first one a JSON object ("eyJ" = '{"'): a JWT, signed or not. */
const JWT_SHAPED = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

export const REDACTED = "[REDACTED]";

export function redactSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join(REDACTED);
  return out.replace(JWT_SHAPED, REDACTED).replace(/(bearer\s+)(?!\[REDACTED\])[\w.~+/=-]+/gi, `$1${REDACTED}`);
}
