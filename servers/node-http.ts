// The Node HTTP shell: the shared Hono app on @hono/node-server, graceful on SIGTERM.

import { getHeapStatistics } from "node:v8";
import { serve } from "@hono/node-server";
import { bodyLimitForHeap } from "../lib/client/answer.ts";
import type { ServerConfig } from "../lib/config.ts";
import { ENV } from "../lib/config.ts";
import type { PartialCredentials } from "../lib/connection.ts";
import { ConfigurationError, exitFor } from "../lib/errors.ts";
import { connectHints, httpAppFromConfig, localUrl } from "../lib/http/from-config.ts";
import { tokensOf } from "../lib/logger.ts";
import { checkRedisRoom } from "../lib/store/redis-quota.ts";
import { redisStores } from "../lib/store/shared-stores.ts";
import { guardedFetch } from "./guarded-fetch.ts";
import { connectRedis } from "./redis.ts";
import { stderrLogger } from "./stderr-logger.ts";

export interface HttpOptions {
  config: ServerConfig;
  demo?: PartialCredentials;
  onClose?: () => Promise<void>;
  /** The whole request's deadline, ms (default REQUEST_TIMEOUT_MS); tests shorten it. */
  requestTimeoutMs?: number;
}

/** How long calls in flight may take to finish after SIGTERM. */
const DRAIN_MS = 10_000;
/**
 * A request's headers and whole body must arrive within these (Node's defaults hold a
 * trickling socket 60 s for headers and 300 s for a body); Node checks them every
 * second here instead of every 30 s. A request over the limit gets 408 and its socket closed.
 * Answers are not bounded by these: an SSE stream runs as long as it needs.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Resolves once `ready()` holds (checked every 100 ms). */
async function whenReady(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 100));
}

export function nodeServerOptions(requestTimeoutMs = REQUEST_TIMEOUT_MS) {
  return {
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
  };
}

export async function runHttp({ config: given, demo, onClose, requestTimeoutMs }: HttpOptions): Promise<void> {
  if (given.denoKv) {
    throw new ConfigurationError(
      "NECTAR_DENO_KV is read by the Deno shell only (servers/deno-http.ts, docs/deno.md).",
      "Unset it; Node replicas share their state with NECTAR_REDIS_URL.",
    );
  }
  // DXP answers are bounded by this process's heap (a 192 MB pod gets 3 MiB, not 10).
  const config = { ...given, maxBodyBytes: bodyLimitForHeap(getHeapStatistics().heap_size_limit) };
  const environment = demo ?? config.credentials;
  const log = stderrLogger(config.debug, () => tokensOf(environment));
  // Several replicas share their state on Redis (NECTAR_REDIS_URL); one process keeps it in memory.
  const shared = config.redisUrl ? connectRedis(config.redisUrl, log, { password: config.redisPassword }) : undefined;
  const stores =
    shared &&
    redisStores(shared.redis, {
      secret: config.storeSecret!,
      sessionIdleMs: config.sessionIdleMs,
      renewalLockMs: config.timeoutMs + 10_000,
      maxSessions: config.maxSessions,
      callerBytes: config.redisCallerBytes,
      ready: shared.ready,
    });
  // Callers' records must never fill Redis (tokens would be evicted or their locks refused):
  // once Redis answers, its maxmemory must leave room for the quotas, or the server stops.
  if (shared)
    void whenReady(shared.ready)
      .then(() => checkRedisRoom(shared.redis, config.redisCallerBytes, ENV.redisCallerBytes))
      .catch((error: unknown) => {
        const { code, message } = exitFor(error);
        log.error(`shared store: ${message}`);
        process.exit(code);
      });
  // URLs a client names are dialled only at addresses the URL policy accepts (checked after DNS).
  const http = httpAppFromConfig({
    config,
    demo,
    log,
    guardFetch: (policy) => guardedFetch({ policy }),
    stores,
  });
  const server = serve(
    {
      fetch: http.app.fetch,
      hostname: config.host,
      port: config.port,
      serverOptions: nodeServerOptions(requestTimeoutMs),
    },
    (info) => {
      log.info(
        `nectar-dxp-mcp listening on ${config.host}:${info.port}${demo ? " with the embedded DXP (--demo)" : ""}`,
      );
      for (const line of connectHints(localUrl(config.host, info.port))) log.info(line);
    },
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: not ready any more; letting calls in flight finish (up to ${DRAIN_MS / 1000} s)`);
    // Drain first: /readyz answers 503 meanwhile (so a load balancer stops sending), new calls
    // get 503, calls in flight finish; then stop accepting connections.
    const drained = await http.drain(DRAIN_MS);
    server.close();
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    log.info(drained ? "all calls finished; exiting" : "drain timed out; exiting");
    await onClose?.();
    await shared?.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
