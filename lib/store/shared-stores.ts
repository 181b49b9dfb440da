// Every store a deployment shares, on Redis: what the HTTP app and the client pool take
// instead of their in-memory defaults. Runtime-agnostic: the shell makes the Redis client.
import { CredentialKeys } from "./credential-keys.ts";
import type { Stores } from "./interfaces.ts";
import type { RedisLike } from "./redis-client.ts";
import { RedisAnswerStore, RedisFilterStore, RedisSessionStore } from "./redis-stores.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

export interface SharedStores extends Stores {
  /** The keyed hash every replica derives the same keys with (the shared secret). */
  keys: CredentialKeys;
  /** False while the store is unreachable (/readyz answers 503). */
  ready(): boolean;
}

export interface RedisStoresOptions {
  /** NECTAR_STORE_SECRET: the same on every replica. */
  secret: string;
  sessionIdleMs?: number;
  /** Longest a token renewal may hold its lock (above the upstream time budget). */
  renewalLockMs?: number;
  ready(): boolean;
}

export function redisStores(redis: RedisLike, options: RedisStoresOptions): SharedStores {
  return {
    keys: new CredentialKeys(new TextEncoder().encode(options.secret)),
    tokens: new RedisTokenStore(redis, { lockTtlMs: options.renewalLockMs }),
    sessions: new RedisSessionStore(redis, { idleTtlMs: options.sessionIdleMs }),
    answers: new RedisAnswerStore(redis),
    filters: new RedisFilterStore(redis),
    ready: options.ready,
  };
}
