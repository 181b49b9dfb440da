// The logging contract between the core and the shells, on the ground floor (every layer
// logs). The core never writes anywhere itself: shells hand in a Logger that writes to
// stderr (stdout carries JSON-RPC in stdio mode).

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Wrap a line writer so that no known secret can appear in what it writes, whatever
 * the caller put in the message. `secrets` is read at each write (tokens change on refresh).
 */
export function redactingLogger(write: (line: string) => void, secrets: () => Iterable<string>, debug: boolean): Logger {
  const emit = (level: string) => (message: string) => {
    let line = message;
    for (const secret of secrets()) if (secret && secret.length >= 8) line = line.split(secret).join("[REDACTED]");
    line = line.replace(/(bearer\s+)[\w.~+/=-]+/gi, "$1[REDACTED]");
    write(`${new Date().toISOString()} ${level} ${line}`);
  };
  return { debug: debug ? emit("debug") : () => {}, info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** The tokens among some credentials, for redactingLogger's secret list. */
export const tokensOf = (...credentials: ({ accessToken?: string; refreshToken?: string } | undefined)[]): string[] =>
  credentials.flatMap((c) => [c?.accessToken, c?.refreshToken]).filter((t): t is string => !!t);
