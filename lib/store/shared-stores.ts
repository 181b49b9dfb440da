// Every store a deployment shares, on Redis: what the HTTP app and the client pool take
// instead of their in-memory defaults. Runtime-agnostic: the shell makes the Redis client.
import { CredentialKeys } from "./credential-keys.ts";
import type { Stores } from "./interfaces.ts";
import { RedisAnswerStore } from "./redis-answer-store.ts";
import type { RedisLike } from "./redis-client.ts";
import { RedisFilterStore } from "./redis-filter-store.ts";
import { splitCallerBytes } from "./redis-quota.ts";
import { RedisSessionStore } from "./redis-session-store.ts";
import { RedisTokenStore } from "./redis-token-store.ts";

export const DEFAULT_REDIS_CALLER_BYTES = 64 * 1024 * 1024;

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
  /** NECTAR_MAX_SESSIONS: most live sessions, all replicas together. */
  maxSessions?: number;
  /** NECTAR_REDIS_CALLER_BYTES: caller-made bytes in Redis, split by splitCallerBytes. Default 64 MiB. */
  callerBytes?: number;
  ready(): boolean;
}

export function redisStores(redis: RedisLike, options: RedisStoresOptions): SharedStores {
  const quotas = splitCallerBytes(options.callerBytes ?? DEFAULT_REDIS_CALLER_BYTES);
  return {
    keys: new CredentialKeys(new TextEncoder().encode(options.secret)),
    tokens: new RedisTokenStore(redis, { lockTtlMs: options.renewalLockMs }),
    sessions: new RedisSessionStore(redis, {
      idleTtlMs: options.sessionIdleMs,
      maxSessions: options.maxSessions,
      maxBytes: quotas.sessions,
    }),
    answers: new RedisAnswerStore(redis, { maxBytes: quotas.answers }),
    filters: new RedisFilterStore(redis, { maxBytes: quotas.filters }),
    ready: options.ready,
  };
}
