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
