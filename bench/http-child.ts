// The Streamable HTTP app in its own process, built the way lib/http/from-config.ts builds
// it from the environment, except that the ClientPool's options come from the bench:
// BENCH_CACHE=off turns the per-credential answer cache off (ttlMs 0), so that every tool
// call reaches the DXP and the throughput compares like with like. Run as
// `node --import tsx bench/http-child.ts`; it reports `{ ready, url }` over IPC.
import { serve } from "@hono/node-server";
import type { ClientOptions } from "../lib/client/client.ts";
import { effectiveUrlPolicy, readConfig } from "../lib/config.ts";
import { createHttpApp } from "../lib/http/app.ts";
import { defaultAllowedHosts } from "../lib/security/origin-guard.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { OPERATOR_URL_POLICY } from "../lib/server/create-server.ts";
import { MemorySessionStore } from "../lib/store/memory-session-store.ts";

const config = readConfig({ ...process.env, MCP_TRANSPORT: "http", FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: "0" });
const options: ClientOptions = { urlPolicy: OPERATOR_URL_POLICY, timeoutMs: config.timeoutMs };
// Spread so this compiles whether or not ClientOptions has a `cache` field yet.
const cacheOff = process.env.BENCH_CACHE === "off" ? ({ cache: { ttlMs: 0 } } as object) : {};
const http = createHttpApp({
  environment: config.credentials,
  environmentSource: "environment",
  urlPolicy: effectiveUrlPolicy(config, { loopbackHttp: false }),
  clients: new ClientPool({ ...options, ...cacheOff }),
  sessions: new MemorySessionStore({ idleTtlMs: config.sessionIdleMs, maxSessions: config.maxSessions }),
  allowedHosts: config.mcpAllowedHosts ?? defaultAllowedHosts(config.host, config.port),
  allowedOrigins: config.mcpAllowedOrigins,
});
serve({ fetch: http.app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  process.send?.({ ready: true, url: `http://127.0.0.1:${info.port}` });
});
// Exit through process.exit so that `--cpu-prof` (BENCH_CHILD_NODE_ARGS) writes its profile.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
