// The Node shells' logger: stderr only (stdout is the JSON-RPC stream under stdio),
// with every known token scrubbed from each line.
import { type Logger, redactingLogger } from "../lib/logger.ts";

export function stderrLogger(debug: boolean, secrets: () => Iterable<string>): Logger {
  return redactingLogger((line) => process.stderr.write(`${line}\n`), secrets, debug);
}
