// The logging contract between the core and the shells, on the ground floor (every layer
// logs). The core never writes anywhere itself: shells hand in a Logger that writes to
// stderr (stdout carries JSON-RPC in stdio mode).
//
// Also the one home of what is done to text we did not write (a DXP's message, a caller's
// argument) before it reaches a tool result or a log: secrets cut out (redactSecrets), then
// control and bidi characters made visible or dropped (cleanText). The logger applies both
// to every line, so one record is one line and no known token is written.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const REDACTED = "[REDACTED]";

/** Three base64url segments, the first one a JSON object ("eyJ" = '{"'): a JWT, signed or not. */
const JWT_SHAPED = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;
const BEARER_VALUE = /(bearer\s+)(?!\[REDACTED\])[\w.~+/=%-]+/gi;
/** Secrets shorter than this are no tokens (a tenant name, say): left alone. */
const MIN_SECRET = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The spellings a DXP may echo a secret in: as sent, URL-encoded (encodeURIComponent or
 * every byte as %XX), and base64 or base64url. A secret base64-encoded inside a longer text
 * comes out differently by its offset modulo 3; the characters that depend on the secret
 * alone are kept for each of the three offsets. Matched without regard to case, so an
 * upper-cased echo is caught too.
 */
function spellings(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const out = new Set([
    secret,
    encodeURIComponent(secret),
    Array.from(bytes, (b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
  ]);
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = base64(padded);
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length < MIN_SECRET) continue;
    out.add(core);
    out.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...out];
}

/** Patterns per secret, kept while the secret is in use (tokens rotate: a few per credential). */
const patterns = new Map<string, RegExp>();
function patternFor(secret: string): RegExp {
  let pattern = patterns.get(secret);
  if (!pattern) {
    if (patterns.size >= 1000) patterns.clear();
    pattern = new RegExp(
      spellings(secret)
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join("|"),
      "gi",
    );
    patterns.set(secret, pattern);
  }
  return pattern;
}

/**
 * `text` with every known secret (in any spelling above), anything shaped like a JWT and any
 * Bearer value replaced by [REDACTED]. Redact before cutting a text short: a cut token is
 * no longer recognised as the token.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets)
    if (secret && secret.length >= MIN_SECRET) out = out.replace(patternFor(secret), REDACTED);
  return out.replace(JWT_SHAPED, REDACTED).replace(BEARER_VALUE, `$1${REDACTED}`);
}

/** C0 and C1 controls and DEL (ANSI/OSC escapes start with ESC or CSI/OSC), and bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from outside (the DXP, a caller) made safe to show a model or write to a log: control
 * characters become visible escapes (`\n`, `\x1b`), so an ANSI/OSC sequence does nothing and
 * a forged `SYSTEM:` or log line stays on the line it came in on; bidi controls, which only
 * reorder what a reader sees, are dropped.
 */
export function cleanText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0x202a) return "";
    return NAMED[c] ?? `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/**
 * Wrap a line writer so that no known secret can appear in what it writes, whatever
 * the caller put in the message, and one message is one line. `secrets` is read at each
 * write (tokens change on refresh).
 */
export function redactingLogger(
  write: (line: string) => void,
  secrets: () => Iterable<string>,
  debug: boolean,
): Logger {
  const emit = (level: string) => (message: string) =>
    write(`${new Date().toISOString()} ${level} ${cleanText(redactSecrets(message, secrets()))}`);
  return { debug: debug ? emit("debug") : () => {}, info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** The tokens among some credentials, for redactingLogger's secret list. */
export const tokensOf = (...credentials: ({ accessToken?: string; refreshToken?: string } | undefined)[]): string[] =>
  credentials.flatMap((c) => [c?.accessToken, c?.refreshToken]).filter((t): t is string => !!t);
