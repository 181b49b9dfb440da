// The few Redis commands the shared stores need, as an interface: lib/ stays free of any
// runtime's sockets, and the shell (servers/) adapts a real client (ioredis) to it. Every
// command either answers or rejects within the client's command timeout.

export interface RedisLike {
  get(key: string): Promise<string | null>;
  /** SET with PX (and NX when `onlyIfAbsent`); true when the value was written. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
  del(key: string): Promise<void>;
  /** EVAL a Lua script (atomic on the server). */
  eval(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/** Every key the server writes starts with this. */
export const KEY_PREFIX = "nectar:";

/** A stored record, or undefined when absent or not JSON (a garbage record is treated as missing, never a 500). */
export const parseStored = <T>(text: unknown): T | undefined => {
  if (typeof text !== "string") return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" ? (value as T) : undefined;
  } catch {
    return undefined;
  }
};
