// The in-process setup of sections 1, 5, 6 and 7, as test/helpers/harness.ts wires it: an
// MCP client on an InMemoryTransport, our server built by createServer, and the DXP
// simulator served over real loopback HTTP in the same process.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ClientOptions } from "../lib/client/client.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { createServer } from "../lib/server/create-server.ts";
import { newSessionState } from "../lib/session.ts";
import { createSimulator, type RecordedRequest, type Simulator } from "../lib/simulator/index.ts";
import { type Listening, listen, within } from "./util.ts";

export interface Dxp {
  sim: Simulator;
  http: Listening;
  tokens: { accessToken: string; refreshToken: string };
}

export async function startDxp(sessionsPerTenant: number): Promise<Dxp> {
  const sim = createSimulator({ sessionsPerTenant });
  const http = await listen(sim.fetch);
  const tokens = sim.issueTokens({ lifetimeSeconds: 24 * 3600 });
  return { sim, http, tokens };
}

/**
 * "default": the ClientPool options a shell passes (whatever cache the client has by default).
 * "off": the same plus `cache: { ttlMs: 0 }`, the client's switch for its answer cache.
 */
export type CacheMode = "default" | "off";

const LOOPBACK = { allowLoopbackHttp: true };

export function clientOptions(cache: CacheMode): ClientOptions {
  const base: ClientOptions = { urlPolicy: LOOPBACK, timeoutMs: 15_000 };
  // Spread in, so this compiles whether or not ClientOptions has grown a `cache` field.
  return cache === "off" ? { ...base, ...({ cache: { ttlMs: 0 } } as object) } : base;
}

export interface Mcp {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Call, and fail loudly on an error result: a bench on error answers measures nothing. */
  ok(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Call and return the upstream requests it made (from the simulator's log). */
  traced(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<{ result: CallToolResult; upstream: RecordedRequest[] }>;
  close(): Promise<void>;
}

/** Where the server's DXP is: the in-process simulator, or any base URL and tokens (its log then unknown). */
export type Upstream = Dxp | { url: string; tokens: { accessToken: string; refreshToken: string } };

export async function connect(dxp: Upstream, cache: CacheMode): Promise<Mcp> {
  const url = "http" in dxp ? dxp.http.url : dxp.url;
  const server = createServer({
    session: newSessionState(),
    environment: { url, ...dxp.tokens, tenant: "acme" },
    urlPolicy: LOOPBACK,
    clients: new ClientPool(clientOptions(cache)),
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  await client.listTools(); // as a real client does; lets it check structuredContent against output schemas
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await within(30_000, `calling ${name}`, client.callTool({ name, arguments: args }))) as CallToolResult;
  const ok = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await call(name, args);
    if (result.isError) throw new Error(`${name}(${JSON.stringify(args)}) answered an error: ${textOf(result)}`);
    return result;
  };
  return {
    client,
    call,
    ok,
    traced: async (name, args = {}) => {
      if (!("sim" in dxp)) throw new Error("traced() needs the in-process simulator's request log");
      const before = dxp.sim.requests.length;
      const result = await ok(name, args);
      return { result, upstream: dxp.sim.requests.slice(before) };
    },
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export const textOf = (result: CallToolResult): string =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

/** The upstream GETs of a recorded request list, as absolute URLs with their Bearer token. */
export interface Replay {
  url: string;
  token: string | null;
}

export function replayable(base: string, requests: readonly RecordedRequest[]): Replay[] {
  return requests
    .filter((r) => r.method === "GET")
    .map((r) => {
      const query = new URLSearchParams(r.query).toString();
      return { url: `${base}${r.path}${query ? `?${query}` : ""}`, token: r.token };
    });
}

/** Make the same upstream GETs directly, in parallel, reading each JSON body. */
export async function replay(requests: readonly Replay[]): Promise<void> {
  await Promise.all(
    requests.map(async ({ url, token }) => {
      const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) throw new Error(`direct GET ${url} answered ${response.status}`);
      await response.json();
    }),
  );
}
