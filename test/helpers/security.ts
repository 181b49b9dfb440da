// Shared plumbing for the security regression tests (test/security-*.test.ts): the
// simulator on loopback, our HTTP app in-process on loopback, and JSON-RPC over plain
// fetch (what a hostile client sends, no SDK client in between).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { PartialCredentials } from "../../lib/connection.ts";
import { createHttpApp, type HttpAppOptions } from "../../lib/http/app.ts";
import type { UrlPolicy } from "../../lib/security/url-policy.ts";
import { ClientPool, type PoolOptions } from "../../lib/server/client-pool.ts";
import { createServer, OPERATOR_URL_POLICY } from "../../lib/server/create-server.ts";
import { createSimulator, type Simulator } from "../../lib/simulator/index.ts";
import { type Listening, listen } from "./listen.ts";

export const REFRESH_PATH = "/aapi/jwt/token/refresh";

export interface Dxp {
  sim: Simulator;
  url: string;
  close(): Promise<void>;
}

/** `now`: the simulator's clock (its tokens' lives); default the wall clock. */
export async function startDxp(options: { now?: () => number } = {}): Promise<Dxp> {
  const sim = createSimulator({ sessionsPerTenant: 200, ...(options.now ? { now: options.now } : {}) });
  const http = await listen(sim.fetch);
  return { sim, url: http.url, close: () => http.close() };
}

export interface App extends Listening {
  pool: ClientPool;
}

export async function startApp(
  options: { environment?: PartialCredentials; urlPolicy?: Partial<UrlPolicy>; pool?: PoolOptions } & Partial<
    Omit<HttpAppOptions, "clients">
  >,
): Promise<App> {
  const { pool: poolOptions, ...rest } = options;
  const pool = new ClientPool({ urlPolicy: OPERATOR_URL_POLICY, timeoutMs: 20_000, retryDelayMs: 20, ...poolOptions });
  const { app } = createHttpApp({
    urlPolicy: { allowLoopbackHttp: true },
    allowedHosts: [],
    allowedOrigins: [],
    ...rest,
    clients: pool,
  });
  const http = await listen(app.fetch);
  return { ...http, pool };
}

export function credentialHeaders(c: PartialCredentials): Record<string, string> {
  const headers: Record<string, string> = {};
  if (c.url) headers["x-nectar-dxp-url"] = c.url;
  if (c.accessToken) headers["x-nectar-access-token"] = c.accessToken;
  if (c.refreshToken) headers["x-nectar-refresh-token"] = c.refreshToken;
  if (c.tenant) headers["x-nectar-domain-name"] = c.tenant;
  return headers;
}

export async function rpc(
  base: string,
  headers: Record<string, string>,
  body: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      "mcp-protocol-version": "2025-06-18",
      ...headers,
    },
    body: JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(30_000),
  }).catch((error: Error & { cause?: { code?: string; message?: string } }) => {
    // undici's "fetch failed" alone says nothing: name the cause (a reset, a refused connection).
    throw new Error(`${error.message}: ${error.cause?.code ?? error.cause?.message ?? "no cause given"}`, {
      cause: error,
    });
  });
}

export const toolCall = (name: string, args: Record<string, unknown> = {}, id = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

export const initializeMessage = (id = 0) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "security-test", version: "1" } },
});

/** Initialize a session with these headers; returns its id. */
export async function initialize(base: string, headers: Record<string, string>): Promise<string> {
  const response = await rpc(base, headers, initializeMessage());
  if (response.status !== 200) throw new Error(`initialize answered ${response.status}: ${await response.text()}`);
  await response.text();
  const id = response.headers.get("mcp-session-id");
  if (!id) throw new Error("no Mcp-Session-Id");
  await (
    await rpc(base, { ...headers, "mcp-session-id": id }, { jsonrpc: "2.0", method: "notifications/initialized" })
  ).text();
  return id;
}

/** One tool call over HTTP; its result, or throws with the HTTP answer. */
export async function call(
  base: string,
  headers: Record<string, string>,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  const response = await rpc(base, headers, toolCall(name, args));
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text}`);
  return (JSON.parse(text) as { result: CallToolResult }).result;
}

export { textOf } from "./common.ts";

export { inBatches } from "./wait.ts";

/** Our MCP server in process with an SDK client on an in-memory transport. */
export async function inProcess(options: Parameters<typeof createServer>[0]) {
  const server = createServer(options);
  const client = new Client({ name: "security", version: "1" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  return { client, close: async () => (await client.close(), await server.close()) };
}
