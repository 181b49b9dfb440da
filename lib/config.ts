// The seed's environment contract, parsed from a plain object so that every shell
// (Node or Deno) reads it the same way. Shells pass their runtime's env in.
import { HEADER_VALUE } from "./client/header-value.ts";
import type { PartialCredentials } from "./connection.ts";
import { ConfigurationError } from "./errors.ts";
import { canonicalHostName } from "./security/dxp-url.ts";
import { parseUrlPolicy, type UrlPolicy } from "./security/url-policy.ts";
import { parseToolSelection, type ToolSelection } from "./tools/selection.ts";
import { parseYesNo } from "./yes-no.ts";

export type Env = Readonly<Record<string, string | undefined>>;

export interface ServerConfig {
  transport: "stdio" | "http";
  host: string;
  port: number;
  credentials: PartialCredentials | undefined;
  debug: boolean;
  /** DXP URL policy for URLs named by HTTP clients (headers, configure_connection). */
  urlPolicy: UrlPolicy;
  /** Upstream time budget per call, ms. */
  timeoutMs: number;
  /** Host header values accepted at /mcp; undefined: derived from the bind address. */
  mcpAllowedHosts: string[] | undefined;
  /** Browser origins accepted at /mcp. */
  mcpAllowedOrigins: string[];
  sessionIdleMs: number;
  maxSessions: number;
  /** Per-credential answer cache TTL, ms; 0 = off. */
  cacheTtlMs: number;
  /** Which tools this server offers (see selectTools; checked when a shell starts). */
  toolSelection: ToolSelection;
  /** Shared store for several replicas (HTTP): `redis://host:port` or a unix socket path; undefined: in memory. */
  redisUrl: string | undefined;
  /** The keyed-hash secret every replica shares (required with redisUrl). */
  storeSecret: string | undefined;
}

/** Environment variables this server reads; the README's table lists the same. */
export const ENV = {
  transport: "MCP_TRANSPORT",
  host: "FASTMCP_HOST",
  port: "FASTMCP_PORT",
  url: "NECTAR_DXP_URL",
  accessToken: "NECTAR_ACCESS_TOKEN",
  refreshToken: "NECTAR_REFRESH_TOKEN",
  tenant: "NECTAR_DOMAIN_NAME",
  debug: "DEBUG_MODE",
  allowedHosts: "NECTAR_ALLOWED_HOSTS",
  allowPrivate: "NECTAR_ALLOW_PRIVATE_ADDRESSES",
  /** Plain http:// to loopback DXP URLs named by clients: for local testing only. */
  allowLoopbackHttp: "NECTAR_ALLOW_LOOPBACK_HTTP",
  timeoutMs: "NECTAR_TIMEOUT_MS",
  mcpAllowedHosts: "NECTAR_MCP_ALLOWED_HOSTS",
  mcpAllowedOrigins: "NECTAR_MCP_ALLOWED_ORIGINS",
  sessionIdleSeconds: "NECTAR_SESSION_IDLE_SECONDS",
  maxSessions: "NECTAR_MAX_SESSIONS",
  cacheTtlSeconds: "NECTAR_CACHE_TTL_SECONDS",
  tools: "NECTAR_TOOLS",
  readOnly: "NECTAR_READ_ONLY",
  redisUrl: "NECTAR_REDIS_URL",
  storeSecret: "NECTAR_STORE_SECRET",
} as const;

export function readConfig(env: Env): ServerConfig {
  const transport = (env[ENV.transport] ?? "stdio").trim().toLowerCase() || "stdio";
  if (transport !== "stdio" && transport !== "http") {
    throw new ConfigurationError(`${ENV.transport} must be "stdio" or "http", not "${transport}".`, "Unset it for stdio, or pass --http.");
  }
  const port = numberFrom(env, ENV.port, 8000, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port number (0-65535)");
  const timeoutMs = numberFrom(env, ENV.timeoutMs, 30_000, (n) => Number.isFinite(n) && n >= 100, "a number of milliseconds ≥ 100");
  const credentials: PartialCredentials = {
    url: env[ENV.url]?.trim() || undefined,
    accessToken: env[ENV.accessToken]?.trim() || undefined,
    refreshToken: env[ENV.refreshToken]?.trim() || undefined,
    tenant: env[ENV.tenant]?.trim() || undefined,
  };
  for (const name of [ENV.accessToken, ENV.refreshToken] as const) {
    const value = env[name]?.trim();
    // Said without the value: it is a secret.
    if (value && !HEADER_VALUE.test(value)) throw new ConfigurationError(`${name} contains spaces, line breaks or non-ASCII characters.`, "Copy the token again, whole and unchanged.");
  }
  const any = Object.values(credentials).some(Boolean);
  const list = (name: string) => env[name]?.split(",").map((v) => v.trim()).filter(Boolean);
  return {
    transport,
    host: env[ENV.host]?.trim() || "0.0.0.0",
    port,
    credentials: any ? credentials : undefined,
    debug: parseYesNo(ENV.debug, env[ENV.debug]),
    urlPolicy: parseUrlPolicy({
      allowedHosts: env[ENV.allowedHosts],
      allowPrivate: parseYesNo(ENV.allowPrivate, env[ENV.allowPrivate]),
      allowLoopbackHttp: parseYesNo(ENV.allowLoopbackHttp, env[ENV.allowLoopbackHttp]),
    }),
    timeoutMs,
    mcpAllowedHosts: list(ENV.mcpAllowedHosts),
    mcpAllowedOrigins: list(ENV.mcpAllowedOrigins) ?? [],
    sessionIdleMs: numberFrom(env, ENV.sessionIdleSeconds, 1800, isWhole, "a whole number ≥ 1") * 1000,
    maxSessions: numberFrom(env, ENV.maxSessions, 10_000, isWhole, "a whole number ≥ 1"),
    cacheTtlMs: numberFrom(env, ENV.cacheTtlSeconds, 30, (n) => Number.isFinite(n) && n >= 0 && n <= 3600, "0 (off) to 3600 seconds") * 1000,
    toolSelection: parseToolSelection(env[ENV.tools], env[ENV.readOnly], ENV.readOnly),
    ...sharedStore(env),
  };
}

/** Minimum length of NECTAR_STORE_SECRET (hex of 16 random bytes). */
const MIN_SECRET = 32;

function sharedStore(env: Env): Pick<ServerConfig, "redisUrl" | "storeSecret"> {
  const redisUrl = env[ENV.redisUrl]?.trim() || undefined;
  const storeSecret = env[ENV.storeSecret]?.trim() || undefined;
  if (!redisUrl) return { redisUrl, storeSecret };
  if (!/^(rediss?:\/\/[^\s]+|unix:\/\/\/[^\s]+|\/[^\s]+)$/.test(redisUrl)) {
    throw new ConfigurationError(`${ENV.redisUrl} must be redis://host:port (rediss:// for TLS) or the path of a unix socket.`, "For example redis://redis:6379 or /run/redis/redis.sock; unset it to keep state in memory.");
  }
  if (!storeSecret || storeSecret.length < MIN_SECRET) {
    throw new ConfigurationError(
      `${ENV.storeSecret} is required with ${ENV.redisUrl}, at least ${MIN_SECRET} characters: every replica must derive the same store keys from credentials.`,
      "Set the same random value on every replica, e.g. from `openssl rand -hex 32`.",
    );
  }
  return { redisUrl, storeSecret };
}

/** The number in `name` (`fallback` when unset); when `valid` refuses it, an error saying what it `must` be. */
function numberFrom(env: Env, name: string, fallback: number, valid: (n: number) => boolean, must: string): number {
  const value = Number(env[name] ?? fallback);
  if (!valid(value)) throw new ConfigurationError(`${name} must be ${must}.`, `Unset it for ${fallback}.`);
  return value;
}

const isWhole = (n: number) => Number.isInteger(n) && n >= 1;

/** Client options every shell derives from the config the same way. */
export function clientOptionsFrom(config: ServerConfig, debugLog: ((line: string) => void) | undefined) {
  return { timeoutMs: config.timeoutMs, cache: { ttlMs: config.cacheTtlMs }, log: config.debug ? debugLog : undefined };
}

/**
 * The URL policy a shell runs with: the operator's own NECTAR_DXP_URL host is always
 * allowed (they chose it); plain http only to loopback, and only for the embedded DXP
 * or a stdio server on the user's own machine.
 */
export function effectiveUrlPolicy(config: ServerConfig, options: { loopbackHttp: boolean }): UrlPolicy {
  const hosts = [...config.urlPolicy.allowedHosts];
  const own = hostOf(config.credentials?.url);
  // Only a name joins the allow-list: it holds host patterns, and an IP literal (an IPv6
  // NECTAR_DXP_URL, say) is not one. Addresses are governed by NECTAR_ALLOW_PRIVATE_ADDRESSES.
  if (own && !isIpLiteral(own) && !hosts.includes(own)) hosts.push(own);
  return { ...config.urlPolicy, allowedHosts: hosts, allowLoopbackHttp: options.loopbackHttp || config.urlPolicy.allowLoopbackHttp };
}

const isIpLiteral = (host: string): boolean => host.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(host);

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return canonicalHostName(new URL(url).hostname);
  } catch {
    return undefined;
  }
}
