// The shell's Redis client (ioredis), adapted to lib's RedisLike. Bounded waits: a command
// that gets no answer within the command timeout rejects, and while the connection is down
// commands reject at once (no offline queue) instead of piling up; the client reconnects
// by itself. Start-up does not wait for Redis: /readyz answers 503 until it is reachable.
import { createRequire } from "node:module";
import type { Redis as RedisClient, RedisOptions } from "ioredis";
import { ConfigurationError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import type { RedisLike } from "../lib/store/redis-client.ts";

export interface RedisConnection {
  redis: RedisLike;
  ready(): boolean;
  close(): Promise<void>;
}

export interface RedisConnectOptions {
  /** Longest wait for one command. Default 2 000 ms. */
  commandTimeoutMs?: number;
  /** Redis's password when the URL has none (NECTAR_REDIS_PASSWORD). */
  password?: string;
}

/** The URL as it may be logged: no password. */
export const shownRedisUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, "//***@");

/**
 * ioredis, loaded only when Redis is configured, through a require bundlers do not follow:
 * the one-file MCP Bundle for Claude Desktop (one user, stdio) carries no Redis client.
 */
function loadIoredis(): typeof RedisClient {
  try {
    return (createRequire(import.meta.url)("ioredis") as { Redis: typeof RedisClient }).Redis;
  } catch {
    throw new ConfigurationError(
      "NECTAR_REDIS_URL needs the ioredis package, which this build does not include.",
      "Run the server from npm or the Docker image.",
    );
  }
}

export function connectRedis(url: string, log: Logger, options: RedisConnectOptions = {}): RedisConnection {
  const Redis = loadIoredis();
  const settings: RedisOptions = {
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 2000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...(options.password ? { password: options.password } : {}),
  };
  const path = url.startsWith("unix://") ? url.slice("unix://".length) : url.startsWith("/") ? url : undefined;
  const client = path ? new Redis({ ...settings, path }) : new Redis(url, settings);
  const shown = shownRedisUrl(url);
  let up = false;
  let reported = false;
  client.on("ready", () => {
    up = true;
    reported = false;
    log.info(`shared store: connected to Redis at ${shown}`);
  });
  client.on("error", (error: Error & { code?: string }) => {
    // Said once per outage, not once per reconnect attempt.
    if (reported) return;
    reported = true;
    log.error(
      `shared store: Redis at ${shown} is unreachable (${error.code ?? error.message}); /readyz answers 503 and calls that need it fail with a retryable error until it is back. Check NECTAR_REDIS_URL.`,
    );
  });
  client.on("close", () => {
    up = false;
  });
  const ttl = (ms: number) => Math.max(1, Math.ceil(ms));
  return {
    redis: {
      get: (key) => client.get(key),
      async set(key, value, ttlMs, onlyIfAbsent) {
        const answer = onlyIfAbsent
          ? await client.set(key, value, "PX", ttl(ttlMs), "NX")
          : await client.set(key, value, "PX", ttl(ttlMs));
        return answer === "OK";
      },
      async del(key) {
        await client.del(key);
      },
      eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
    },
    ready: () => up && client.status === "ready",
    async close() {
      client.disconnect();
    },
  };
}
