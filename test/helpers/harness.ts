// An MCP client connected in-process to our server, whose DXP is the simulator served
// over real loopback HTTP. Each harness has its own simulator and session.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { PartialCredentials } from "../../lib/connection.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { createServer } from "../../lib/server/create-server.ts";
import { newSessionState } from "../../lib/session.ts";
import { createSimulator, type Simulator, type SimulatorOptions } from "../../lib/simulator/index.ts";
import { listen } from "./listen.ts";

export interface Harness {
  sim: Simulator;
  url: string;
  tokens: { accessToken: string; refreshToken: string };
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: SimulatorOptions;
  /** Replace the environment credentials (default: the simulator's URL, fresh tokens, tenant acme). */
  environment?: (defaults: PartialCredentials) => PartialCredentials | undefined;
  timeoutMs?: number;
  /** One clock for the simulator and the server (fixed in tests that pin answers). */
  now?: () => number;
}

const loopback = { allowLoopbackHttp: true };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = createSimulator({
    sessionsPerTenant: 3000,
    ...options.simulator,
    ...(options.now ? { now: options.now } : {}),
  });
  const http = await listen(sim.fetch);
  const tokens = sim.issueTokens();
  const defaults = { url: http.url, ...tokens, tenant: "acme" };
  const server = createServer({
    session: newSessionState(),
    environment: options.environment ? options.environment(defaults) : defaults,
    urlPolicy: loopback,
    ...(options.now ? { now: options.now } : {}),
    clients: new ClientPool({
      urlPolicy: loopback,
      timeoutMs: options.timeoutMs ?? 5000,
      retryDelayMs: 20,
      ...(options.now ? { now: options.now } : {}),
    }),
  });
  const client = new Client({ name: "test", version: "1.0.0" });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  await client.listTools(); // lets the client validate structuredContent against output schemas
  return {
    sim,
    url: http.url,
    tokens,
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
      await http.close();
    },
  };
}

export { textOf } from "./common.ts";
