// set_session_filter's filterId: a saved filter any request can name (MCP 2026-07-28 has no
// sessions), bound to the credentials that saved it; and configure_connection per era and
// transport (over HTTP it keeps settings only inside a 2025-era session).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createHttpApp } from "../../lib/http/app.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import { MemoryFilterStore } from "../../lib/store/memory-filter-store.ts";
import { type Listening, listen } from "../helpers/listen.ts";

const loopback = { allowLoopbackHttp: true };

interface ToolAnswer {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}
const textOf = (result: unknown): string => (result as ToolAnswer).content.map((c) => c.text ?? "").join("\n");

describe("filter handles and configure_connection across eras", () => {
  let upstream: Listening;
  let server: Listening;
  let alice: Record<string, string>;
  let bob: Record<string, string>;

  before(async () => {
    const sim = createSimulator({ sessionsPerTenant: 300 });
    upstream = await listen(sim.fetch);
    const a = sim.issueTokens();
    const b = sim.issueTokens();
    alice = {
      "X-Nectar-Access-Token": a.accessToken,
      "X-Nectar-Refresh-Token": a.refreshToken,
      "X-Nectar-Domain-Name": "acme",
    };
    bob = {
      "X-Nectar-Access-Token": b.accessToken,
      "X-Nectar-Refresh-Token": b.refreshToken,
      "X-Nectar-Domain-Name": "acme",
    };
    const { app } = createHttpApp({
      environment: { url: upstream.url },
      urlPolicy: loopback,
      clients: new ClientPool({ urlPolicy: loopback, timeoutMs: 30_000, retryDelayMs: 20 }),
      filters: new MemoryFilterStore(),
      allowedHosts: [],
      allowedOrigins: [],
    });
    server = await listen(app.fetch);
  });

  after(async () => {
    await server?.close();
    await upstream?.close();
  });

  async function modern(headers: Record<string, string>) {
    const client = new ModernClient({ name: "modern", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(new ModernTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }));
    return client;
  }

  async function legacy(headers: Record<string, string>) {
    const client = new LegacyClient({ name: "legacy", version: "1.0.0" });
    await client.connect(new LegacyTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }));
    return client;
  }

  const call = async (
    client: { callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown> },
    name: string,
    args: Record<string, unknown>,
  ) => (await client.callTool({ name, arguments: args })) as ToolAnswer;

  it("returns a filterId that a 2026-07-28 client passes to session tools, with per-call fields winning", async () => {
    const client = await modern(alice);
    try {
      const saved = await call(client, "set_session_filter", { platforms: ["TEAMS"], timePeriod: "LAST_WEEK" });
      assert.equal(saved.isError, undefined, textOf(saved));
      const filterId = saved.structuredContent!.filterId as string;
      assert.match(filterId, /^flt_[0-9a-f]{32}$/);
      assert.match(textOf(saved), /pass filterId "flt_/);

      const applied = await call(client, "get_session_summary", { filterId });
      assert.equal(applied.isError, undefined, textOf(applied));
      assert.match(textOf(applied), /LAST_WEEK/);
      assert.match(textOf(applied), /platforms TEAMS/);

      const overridden = await call(client, "get_session_summary", { filterId, platforms: ["ZOOM"] });
      assert.match(textOf(overridden), /platforms ZOOM/);
      assert.match(textOf(overridden), /LAST_WEEK/);

      const without = await call(client, "get_session_summary", {});
      assert.doesNotMatch(
        textOf(without),
        /platforms TEAMS/,
        "a 2026-07-28 request remembers nothing without the handle",
      );
    } finally {
      await client.close();
    }
  });

  it("answers another caller presenting the filterId with not found, never the filter", async () => {
    const owner = await modern(alice);
    const other = await modern(bob);
    try {
      const saved = await call(owner, "set_session_filter", { locations: ["Berlin HQ"] });
      const filterId = saved.structuredContent!.filterId as string;
      const stolen = await call(other, "get_session_summary", { filterId });
      assert.equal(stolen.isError, true);
      assert.match(textOf(stolen), /filterId "flt_[0-9a-f]+" was not found/);
      assert.doesNotMatch(textOf(stolen), /Berlin/);
      const unknown = await call(owner, "get_detailed_session_list", { filterId: "flt_nope" });
      assert.match(textOf(unknown), /was not found: it expired, or it was saved with other credentials/);
    } finally {
      await owner.close();
      await other.close();
    }
  });

  it("keeps the filter implicit in a 2025-era session and also names it with a filterId", async () => {
    const client = await legacy(alice);
    try {
      const saved = await call(client, "set_session_filter", { qualities: ["CRITICAL"] });
      assert.match(textOf(saved), /Session tools apply it until changed/);
      const implicit = await call(client, "get_session_histogram", {});
      assert.match(textOf(implicit), /qualities CRITICAL/);
      const filterId = saved.structuredContent!.filterId as string;
      const elsewhere = await modern(alice);
      try {
        assert.match(textOf(await call(elsewhere, "get_session_histogram", { filterId })), /qualities CRITICAL/);
      } finally {
        await elsewhere.close();
      }
    } finally {
      await client.close();
    }
  });

  it("refuses configure_connection over HTTP without a session, telling the client to send X-Nectar-* headers", async () => {
    const client = await modern(alice);
    try {
      const answer = await call(client, "configure_connection", { domainName: "globex" });
      assert.equal(answer.isError, true);
      assert.match(textOf(answer), /this request has none \(MCP 2026-07-28 has no sessions\): nothing was saved/);
      assert.match(textOf(answer), /X-Nectar-Access-Token/);
      const status = await call(client, "get_connection_status", {});
      assert.match(textOf(status), /acme/);
    } finally {
      await client.close();
    }
  });

  it("keeps configure_connection inside a 2025-era session, as before", async () => {
    const client = await legacy(alice);
    try {
      const answer = await call(client, "configure_connection", { domainName: "globex" });
      assert.equal(answer.isError, undefined, textOf(answer));
      assert.match(textOf(await call(client, "get_connection_status", {})), /globex/);
    } finally {
      await client.close();
    }
  });

  it("lists the same tools whatever filters were saved", async () => {
    const client = await modern(alice);
    try {
      const before = JSON.stringify((await client.listTools()).tools);
      await call(client, "set_session_filter", { platforms: ["TEAMS"] });
      assert.equal(JSON.stringify((await client.listTools()).tools), before);
    } finally {
      await client.close();
    }
  });
});
