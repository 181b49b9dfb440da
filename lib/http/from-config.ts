// Build the HTTP app from the parsed environment: what both the Node and the Deno shell
// run, so neither holds any logic of its own.
import { clientOptionsFrom, effectiveUrlPolicy, type ServerConfig } from "../config.ts";
import type { PartialCredentials } from "../connection.ts";
import type { Logger } from "../logger.ts";
import { defaultAllowedHosts } from "../security/origin-guard.ts";
import type { UrlPolicy } from "../security/url-policy.ts";
import { ClientPool } from "../server/client-pool.ts";
import { configuredTools } from "../server/configured-tools.ts";
import { OPERATOR_URL_POLICY } from "../server/create-server.ts";
import { MemoryFilterStore } from "../store/memory-filter-store.ts";
import { MemorySessionStore } from "../store/memory-session-store.ts";
import type { SharedStores } from "../store/shared-stores.ts";
import { createHttpApp, type HttpApp } from "./app.ts";

export interface HttpRuntime {
  config: ServerConfig;
  /** Credentials of the embedded DXP when running --demo. */
  demo?: PartialCredentials;
  log: Logger;
  /**
   * The fetch for URLs a client names, given the URL policy (the Node shell's refuses
   * resolved addresses the policy refuses); default: the runtime's fetch.
   */
  guardFetch?: (policy: UrlPolicy) => typeof fetch;
  /** Stores shared by replicas (NECTAR_REDIS_URL); default: this process's memory. */
  stores?: SharedStores;
}

export function httpAppFromConfig({ config, demo, log, guardFetch, stores }: HttpRuntime): HttpApp {
  const urlPolicy = effectiveUrlPolicy(config, { loopbackHttp: false });
  return createHttpApp({
    environment: demo ?? config.credentials,
    environmentSource: demo ? "demo" : "environment",
    urlPolicy,
    clients: new ClientPool({
      urlPolicy: OPERATOR_URL_POLICY,
      clientNamedFetch: guardFetch?.(urlPolicy),
      ...clientOptionsFrom(config, (line) => log.debug(`upstream ${line}`)),
      budgets: config.budgets,
      ...(stores ? { keys: stores.keys, tokenStore: stores.tokens, answerStore: stores.answers } : {}),
    }),
    sessions:
      stores?.sessions ??
      new MemorySessionStore({
        idleTtlMs: config.sessionIdleMs,
        maxSessions: config.maxSessions,
        maxBytes: config.budgets.sessionBytes,
      }),
    filters: stores?.filters ?? new MemoryFilterStore({ maxBytes: config.budgets.filterBytes }),
    budgets: config.budgets,
    storeReady: stores?.ready,
    allowedHosts: config.mcpAllowedHosts ?? defaultAllowedHosts(config.host, config.port),
    allowedOrigins: config.mcpAllowedOrigins,
    tools: configuredTools(config.toolSelection),
    log,
  });
}

/** The URL a person on this machine dials for a listener on host:port: a wildcard address as loopback, IPv6 in brackets. */
export function localUrl(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

/** The lines a person needs to connect, printed when the server is up. */
export function connectHints(url: string): string[] {
  return [
    `MCP endpoint: ${url}/mcp`,
    `  mcp-remote:  npx mcp-remote ${url}/mcp${url.startsWith("http://") ? " --allow-http" : ""} --header "X-Nectar-Domain-Name:acme"`,
    `  Inspector:   npx @modelcontextprotocol/inspector --cli --server-url ${url}/mcp --transport http --method tools/list`,
  ];
}
