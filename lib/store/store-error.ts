// A shared store (Redis) that did not answer: said honestly, as a tool error or a 503,
// never answered from another caller's data or by silently forgetting state.
import { DxpError } from "../errors.ts";

export class StoreUnavailableError extends DxpError {
  constructor(what: string) {
    super(`The server's shared store did not answer (${what}).`, "This is temporary: retry in a few seconds.");
  }
}

/** Run a store command; any failure (down, timeout) is said as the store being unavailable. */
export async function attempt<T>(what: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch {
    throw new StoreUnavailableError(what);
  }
}
