// The seed's environment contract, parsed from a plain object so that every shell
// (Node or Deno) reads it the same way. Shells pass their runtime's env in.
import { applyEndpointOverrides } from "./client/endpoint-overrides.ts";
import { type ApiTable, DEFAULT_API } from "./client/endpoints.ts";
import { HEADER_VALUE } from "./client/header-value.ts";
import type { PartialCredentials } from "./connection.ts";
import { ConfigurationError } from "./errors.ts";
import { canonicalHostName } from "./security/dxp-url.ts";
import { parseUrlPolicy, type UrlPolicy } from "./security/url-policy.ts";
import { type Budgets, budgetsForHeap } from "./store/budgets.ts";
import { DEFAULT_REDIS_CALLER_BYTES } from "./store/shared-stores.ts";
import { parseToolSelection, type ToolSelection } from "./tool-set/parse-selection.ts";
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
  /** Deno KV for several Deno processes or Deploy isolates: a file path, or "default" (openKv() with no path); Deno shell only. */
  denoKv: string | undefined;
  /** The keyed-hash secret every replica shares (required with redisUrl or denoKv). */
  storeSecret: string | undefined;
  /** Largest DXP answer body, bytes: not from the environment, a shell sets it from its heap (bodyLimitForHeap); default 10 MiB. */
  maxBodyBytes?: number;
  /** The endpoint table with NECTAR_DXP_ENDPOINTS's overrides applied (ours when unset). */
  api: ApiTable;
  /** Byte budgets for what callers can make the server keep (defaults from the heap; docs/security.md). */
  budgets: Budgets;
  /** Bytes of caller-made records (filters, sessions, answers) allowed in Redis, all replicas together. */
  redisCallerBytes: number;
  /** Redis's password when not in the URL (NECTAR_REDIS_PASSWORD, e.g. from a Kubernetes Secret). */
  redisPassword: string | undefined;
}

/** What the shell knows of its runtime (lib/ never asks it). */
export interface RuntimeFacts {
  /** The heap this process may use (Node: v8.getHeapStatistics().heap_size_limit); unknown: budgets.ts's default. */
  heapLimitBytes?: number;
  /** The shell's way to read a file named by the environment (lib/ reads none itself). */
  readFile?: (path: string) => string;
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
  denoKv: "NECTAR_DENO_KV",
  /** Path of a JSON file overriding endpoint paths, methods and parameter names (docs/doctor.md). */
  endpoints: "NECTAR_DXP_ENDPOINTS",
  filterBytes: "NECTAR_FILTER_BYTES",
  filterBytesPerCaller: "NECTAR_FILTER_BYTES_PER_CALLER",
  filterBytesAnonymous: "NECTAR_FILTER_BYTES_ANONYMOUS",
  sessionBytes: "NECTAR_SESSION_BYTES",
  answerBytes: "NECTAR_ANSWER_BYTES",
  tokenBytes: "NECTAR_TOKEN_BYTES",
  redisCallerBytes: "NECTAR_REDIS_CALLER_BYTES",
  redisPassword: "NECTAR_REDIS_PASSWORD",
} as const;

export function readConfig(env: Env, runtime: RuntimeFacts = {}): ServerConfig {
  const transport = (env[ENV.transport] ?? "stdio").trim().toLowerCase() || "stdio";
  if (transport !== "stdio" && transport !== "http") {
    throw new ConfigurationError(
      `${ENV.transport} must be "stdio" or "http", not "${transport}".`,
      "Unset it for stdio, or pass --http.",
    );
  }
  const port = numberFrom(
    env,
    ENV.port,
    8000,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    "a port number (0-65535)",
  );
  const timeoutMs = numberFrom(
    env,
    ENV.timeoutMs,
    30_000,
    (n) => Number.isFinite(n) && n >= 100,
    "a number of milliseconds ≥ 100",
  );
  const credentials: PartialCredentials = {
    url: env[ENV.url]?.trim() || undefined,
    accessToken: env[ENV.accessToken]?.trim() || undefined,
    refreshToken: env[ENV.refreshToken]?.trim() || undefined,
    tenant: env[ENV.tenant]?.trim() || undefined,
  };
  for (const name of [ENV.accessToken, ENV.refreshToken] as const) {
    const value = env[name]?.trim();
    // Said without the value: it is a secret.
    if (value && !HEADER_VALUE.test(value))
      throw new ConfigurationError(
        `${name} contains spaces, line breaks or non-ASCII characters.`,
        "Copy the token again, whole and unchanged.",
      );
  }
  const any = Object.values(credentials).some(Boolean);
  const list = (name: string) =>
    env[name]
      ?.split(",")
      .map((v) => v.trim())
      .filter(Boolean);
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
    cacheTtlMs:
      numberFrom(
        env,
        ENV.cacheTtlSeconds,
        30,
        (n) => Number.isFinite(n) && n >= 0 && n <= 3600,
        "0 (off) to 3600 seconds",
      ) * 1000,
    toolSelection: parseToolSelection(env[ENV.tools], env[ENV.readOnly], ENV.readOnly),
    ...sharedStore(env),
    api: endpointOverrides(env, runtime.readFile),
    budgets: budgetsFrom(env, budgetsForHeap(runtime.heapLimitBytes)),
    redisPassword: env[ENV.redisPassword]?.trim() || undefined,
    redisCallerBytes: numberFrom(
      env,
      ENV.redisCallerBytes,
      DEFAULT_REDIS_CALLER_BYTES,
      isBytes,
      "a whole number of bytes ≥ 65536",
    ),
  };
}

const isBytes = (n: number) => Number.isInteger(n) && n >= 65_536;

/** Each budget from its NECTAR_…_BYTES variable, else the heap-derived default. */
function budgetsFrom(env: Env, defaults: Budgets): Budgets {
  const read = (key: keyof Budgets) =>
    numberFrom(env, ENV[key], defaults[key], isBytes, "a whole number of bytes ≥ 65536");
  return {
    filterBytes: read("filterBytes"),
    filterBytesPerCaller: read("filterBytesPerCaller"),
    filterBytesAnonymous: read("filterBytesAnonymous"),
    sessionBytes: read("sessionBytes"),
    answerBytes: read("answerBytes"),
    tokenBytes: read("tokenBytes"),
  };
}

function endpointOverrides(env: Env, readFile: ((path: string) => string) | undefined): ApiTable {
  const path = env[ENV.endpoints]?.trim();
  if (!path) return DEFAULT_API;
  if (!readFile)
    throw new ConfigurationError(
      `${ENV.endpoints} is set, but this shell cannot read files.`,
      "Unset it, or run the Node shell (nectar-dxp-mcp).",
    );
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigurationError(
      `${ENV.endpoints} names ${path}, which cannot be read (${typeof code === "string" ? code : "unreadable"}).`,
      "Give the path of a JSON file (docs/doctor.md shows one), or unset it.",
    );
  }
  return applyEndpointOverrides(text, `${ENV.endpoints} (${path})`);
}

/** Minimum length of NECTAR_STORE_SECRET (hex of 16 random bytes). */
const MIN_SECRET = 32;

function sharedStore(env: Env): Pick<ServerConfig, "redisUrl" | "denoKv" | "storeSecret"> {
  const redisUrl = env[ENV.redisUrl]?.trim() || undefined;
  const denoKv = env[ENV.denoKv]?.trim() || undefined;
  const storeSecret = env[ENV.storeSecret]?.trim() || undefined;
  if (!redisUrl && !denoKv) return { redisUrl, denoKv, storeSecret };
  if (redisUrl && !/^(rediss?:\/\/[^\s]+|unix:\/\/\/[^\s]+|\/[^\s]+)$/.test(redisUrl)) {
    throw new ConfigurationError(
      `${ENV.redisUrl} must be redis://host:port (rediss:// for TLS) or the path of a unix socket.`,
      "For example redis://redis:6379 or /run/redis/redis.sock; unset it to keep state in memory.",
    );
  }
  if (!storeSecret || storeSecret.length < MIN_SECRET) {
    throw new ConfigurationError(
      `${ENV.storeSecret} is required with ${redisUrl ? ENV.redisUrl : ENV.denoKv}, at least ${MIN_SECRET} characters: every replica must derive the same store keys from credentials.`,
      "Set the same random value on every replica, e.g. from `openssl rand -hex 32`.",
    );
  }
  if (lowVariety(storeSecret)) {
    throw new ConfigurationError(
      `${ENV.storeSecret} is too predictable: it uses fewer than ${MIN_DISTINCT} different characters, or one character makes up more than a quarter of it.`,
      "Set a random value on every replica, e.g. from `openssl rand -hex 32`.",
    );
  }
  return { redisUrl, denoKv, storeSecret };
}

/** Fewest different characters a store secret must use (32 random hex digits use about 14). */
const MIN_DISTINCT = 10;

/** A secret of few distinct characters (a repeated letter, "abab…") is guessable whatever its length. */
function lowVariety(secret: string): boolean {
  const counts = new Map<string, number>();
  for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
  return counts.size < MIN_DISTINCT || Math.max(...counts.values()) > secret.length / 4;
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
  return {
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    cache: { ttlMs: config.cacheTtlMs },
    log: config.debug ? debugLog : undefined,
    api: config.api,
  };
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
  return {
    ...config.urlPolicy,
    allowedHosts: hosts,
    allowLoopbackHttp: options.loopbackHttp || config.urlPolicy.allowLoopbackHttp,
  };
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
