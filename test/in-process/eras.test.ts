// Both MCP protocol eras on one /mcp endpoint: a 2026-07-28 client (the SDK v2 client with
// version negotiation) is served without sessions; a 2025-era client (the SDK v1 client,
// as mcp-remote and Claude Desktop speak today) keeps its Mcp-Session-Id session. Runs the
// shared HTTP app in-process on loopback (Node or Deno), its DXP the simulator.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createHttpApp } from "../../lib/http/app.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import { textOf } from "../helpers/common.ts";
import { type Listening, listen } from "../helpers/listen.ts";
import { TOOL_COUNT } from "../helpers/registry.ts";

const loopback = { allowLoopbackHttp: true };

describe("one /mcp endpoint for both protocol eras", () => {
  let upstream: Listening;
  let server: Listening;
  let headers: Record<string, string>;

  before(async () => {
    const sim = createSimulator({ sessionsPerTenant: 500 });
    upstream = await listen(sim.fetch);
    const tokens = sim.issueTokens();
    headers = {
      "X-Nectar-Access-Token": tokens.accessToken,
      "X-Nectar-Refresh-Token": tokens.refreshToken,
      "X-Nectar-Domain-Name": "acme",
    };
    const { app } = createHttpApp({
      environment: { url: upstream.url },
      urlPolicy: loopback,
      clients: new ClientPool({ urlPolicy: loopback, timeoutMs: 30_000, retryDelayMs: 20 }),
      allowedHosts: [],
      allowedOrigins: [],
      maxBodyBytes: 64 * 1024,
    });
    server = await listen(app.fetch);
  });

  after(async () => {
    await server?.close();
    await upstream?.close();
  });

  async function modernClient() {
    const client = new ModernClient({ name: "modern", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    const transport = new ModernTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } });
    await client.connect(transport);
    return { client, transport };
  }

  async function legacyClient() {
    const client = new LegacyClient({ name: "legacy", version: "1.0.0" });
    const transport = new LegacyTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } });
    await client.connect(transport);
    return { client, transport };
  }

  it("serves a 2026-07-28 client without a session: it lists the tools and calls one with its header credentials", async () => {
    const { client, transport } = await modernClient();
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
      assert.equal(transport.sessionId, undefined);
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOL_COUNT);
      const answer = await client.callTool({ name: "get_session_summary", arguments: { timePeriod: "LAST_DAY" } });
      assert.equal(answer.isError, undefined, textOf(answer));
      assert.match(textOf(answer), /Session summary\. Tenant acme · LAST_DAY/);
    } finally {
      await client.close();
    }
  });

  it("keeps a 2025-era client on its Mcp-Session-Id session, with its filter remembered between calls", async () => {
    const { client, transport } = await legacyClient();
    try {
      assert.equal(client.getServerVersion()?.name, "nectar-dxp-mcp");
      assert.match(transport.sessionId ?? "", /^[0-9a-f-]{36}$/);
      await client.callTool({
        name: "set_session_filter",
        arguments: { timePeriod: "LAST_WEEK", locations: ["Dallas"] },
      });
      const answer = await client.callTool({ name: "get_session_summary", arguments: {} });
      assert.match(textOf(answer), /LAST_WEEK/);
      assert.match(textOf(answer), /Dallas/);
    } finally {
      await client.close();
    }
  });

  it("lists the same tools to both eras, and a filter set in one session changes neither list", async () => {
    const modern = await modernClient();
    const legacy = await legacyClient();
    try {
      const before = (await modern.client.listTools()).tools;
      const legacyBefore = (await legacy.client.listTools()).tools;
      await legacy.client.callTool({
        name: "set_session_filter",
        arguments: { timePeriod: "LAST_WEEK", locations: ["Dallas"] },
      });
      await modern.client.callTool({ name: "set_session_filter", arguments: { timePeriod: "LAST_WEEK" } });
      const strip = (tools: { name: string; inputSchema: unknown; outputSchema?: unknown; description?: string }[]) =>
        tools.map(({ name, inputSchema, outputSchema, description }) => ({
          name,
          inputSchema,
          outputSchema,
          description,
        }));
      assert.deepEqual(strip(legacyBefore), strip(before));
      assert.deepEqual(strip((await legacy.client.listTools()).tools), strip(before));
      assert.deepEqual(strip((await modern.client.listTools()).tools), strip(before));
    } finally {
      await modern.client.close();
      await legacy.client.close();
    }
  });

  it("answers a 2026-07-28 tool error as a result the model can act on", async () => {
    const { client } = await modernClient();
    try {
      const answer = await client.callTool({ name: "get_session_summary", arguments: { timePeriod: "FORTNIGHT" } });
      assert.equal(answer.isError, true);
      assert.match(textOf(answer), /timePeriod: expected one of LAST_HOUR, LAST_DAY/);
    } finally {
      await client.close();
    }
  });

  it("streams progress to a 2026-07-28 client that asks for it, before the result", async () => {
    const { client } = await modernClient();
    try {
      const seen: number[] = [];
      const answer = await client.callTool(
        { name: "get_session_summary", arguments: { timePeriod: "LAST_DAY" } },
        { onprogress: (progress) => void seen.push(progress.progress) },
      );
      assert.equal(answer.isError, undefined, textOf(answer));
      assert.ok(seen.length > 0, "progress notifications arrived");
      assert.match(textOf(answer), /Session summary/);
    } finally {
      await client.close();
    }
  });

  const envelope = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "curl", version: "1" },
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  const modernPost = (body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "tools/list",
        ...headers,
        ...extra,
      },
      body: JSON.stringify(body),
    });

  it("answers a raw 2026-07-28 tools/list with JSON, no session id, and the revision's cache fields", async () => {
    const response = await modernPost({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: envelope } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("mcp-session-id"), null);
    const body = (await response.json()) as { result: { tools: unknown[]; ttlMs?: number; cacheScope?: string } };
    assert.equal(body.result.tools.length, TOOL_COUNT);
    assert.equal(typeof body.result.ttlMs, "number");
    assert.equal(typeof body.result.cacheScope, "string");
  });

  it("calls a 2026-07-28 tool its caller offers, and answers one X-MCP-Tools leaves out as an unknown tool", async () => {
    const call = (name: string, extra: Record<string, string> = {}) =>
      modernPost(
        { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name, arguments: {}, _meta: envelope } },
        { "mcp-method": "tools/call", "mcp-name": name, ...extra },
      ).then(
        (r) =>
          r.json() as Promise<{
            result?: { isError?: boolean; content: { text: string }[] };
            error?: { message: string };
          }>,
      );
    const offered = await call("get_tenant_names", { "X-MCP-Tools": "tenants" });
    assert.equal(offered.result?.isError, undefined, JSON.stringify(offered));
    assert.match(offered.result!.content[0]!.text, /acme/);
    const left = await call("get_session_summary", { "X-MCP-Tools": "tenants" });
    const unknown = await call("no_such_tool", { "X-MCP-Tools": "tenants" });
    const message = (a: typeof left) => a.error?.message ?? a.result?.content[0]?.text ?? "";
    assert.match(message(left), /get_session_summary.*not found|not found.*get_session_summary/i, JSON.stringify(left));
    assert.equal(message(left).replace("get_session_summary", "X"), message(unknown).replace("no_such_tool", "X"));
  });

  it("refuses a 2026-07-28 request whose Mcp-Method header disagrees with its body, with 400", async () => {
    const response = await modernPost(
      { jsonrpc: "2.0", id: 2, method: "tools/list", params: { _meta: envelope } },
      { "mcp-method": "prompts/list" },
    );
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, /Mcp-Method|header/i);
  });

  it("keeps the Origin check and the body limit in front of 2026-07-28 requests", async () => {
    const foreign = await modernPost(
      { jsonrpc: "2.0", id: 3, method: "tools/list", params: { _meta: envelope } },
      { origin: "http://evil.example" },
    );
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    const big = await modernPost({
      jsonrpc: "2.0",
      id: 4,
      method: "tools/list",
      params: { _meta: { ...envelope, pad: "x".repeat(100 * 1024) } },
    });
    assert.equal(big.status, 413);
    await big.body?.cancel();
  });
});
