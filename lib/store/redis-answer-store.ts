// DXP answers on Redis, shared by replicas: a cache per credential (the key starts with the
// credential's keyed hash, never a raw token), each answer with its TTL and charged to the
// answers' quota (redis-quota.ts). Any failure means the answer is not reused, never an error.
import type { AnswerStore } from "./interfaces.ts";
import { KEY_PREFIX, parseStored, type RedisLike } from "./redis-client.ts";
import { putCharged, quotaWindow } from "./redis-quota.ts";

export interface RedisAnswerStoreOptions {
  /** Answers larger than this (estimated bytes) are not shared. Default 1 MiB. */
  maxAnswerBytes?: number;
  /** Bytes of answers written within an answer's TTL, all replicas together; past it answers are not shared. Default 16 MiB. */
  maxBytes?: number;
  now?: () => number;
}

/**
 * Answers of DXP reads on Redis, per credential (the key starts with the credential's
 * keyed hash). A cache: when Redis fails, the answer is simply not reused (reads go
 * upstream), which is slower but never wrong.
 */
export class RedisAnswerStore implements AnswerStore {
  readonly #max: number;
  readonly #maxBytes: number;
  readonly #now: () => number;

  constructor(
    private readonly redis: RedisLike,
    options: RedisAnswerStoreOptions = {},
  ) {
    this.#max = options.maxAnswerBytes ?? 1024 * 1024;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<unknown | undefined> {
    try {
      return parseStored(await this.redis.get(`${KEY_PREFIX}answer:${key}`));
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, options: { ttlMs: number; sizeBytes: number }): Promise<void> {
    if (options.sizeBytes > this.#max) return;
    try {
      // Over the quota the answer is simply not shared (the next read goes upstream).
      await putCharged(this.redis, {
        key: `${KEY_PREFIX}answer:${key}`,
        value: JSON.stringify(value),
        ttlMs: options.ttlMs,
        window: quotaWindow("answer", Math.max(options.ttlMs, 60_000), this.#maxBytes),
        now: this.#now(),
      });
    } catch {
      // not kept: the next read goes upstream
    }
  }
}
