// Picking tools by name, group and read-only, from code, env and per request.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { readConfig } from "../../lib/config.ts";
import { ConfigurationError } from "../../lib/errors.ts";
import { createHttpApp } from "../../lib/http/app.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { configuredTools } from "../../lib/server/configured-tools.ts";
import { OPERATOR_URL_POLICY } from "../../lib/server/create-server.ts";
import { selectTools } from "../../lib/tool-set/select-tools.ts";
import { allTools } from "../../lib/tools/index.ts";
import { listen } from "../helpers/listen.ts";
import { TOOL_COUNT } from "../helpers/registry.ts";

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();

describe("tool selection", () => {
  it("picks by group and by name together", () => {
    assert.deepEqual(names(selectTools({ include: ["tenants", "get_users"] })), [
      "get_tenant_names",
      "get_tenant_platforms",
      "get_users",
    ]);
  });

  it("read-only drops the tools that change session state", () => {
    const picked = names(selectTools({ readOnly: true }));
    assert.equal(picked.length, allTools.filter((t) => t.annotations.readOnlyHint).length);
    assert.ok(!picked.includes("configure_connection") && !picked.includes("set_session_filter"));
  });

  it("refuses an unknown name, listing the groups", () => {
    assert.throws(
      () => selectTools({ include: ["get_weather"] }),
      (e: unknown) =>
        e instanceof ConfigurationError && /get_weather/.test(e.message) && /endpoint_tests/.test(e.userMessage),
    );
  });

  it("reads NECTAR_TOOLS and NECTAR_READ_ONLY from the environment", () => {
    const tools = (env: Record<string, string>) => configuredTools(readConfig(env).toolSelection);
    assert.deepEqual(names(tools({ NECTAR_TOOLS: "connection", NECTAR_READ_ONLY: "true" })), ["get_connection_status"]);
    assert.equal(tools({}).length, TOOL_COUNT);
    assert.throws(() => tools({ NECTAR_TOOLS: "nope" }), ConfigurationError);
  });

  it("narrows an HTTP request's tools with X-MCP-Tools and X-MCP-Readonly, never widening the server's", async () => {
    const http = createHttpApp({
      urlPolicy: {},
      clients: new ClientPool({ urlPolicy: OPERATOR_URL_POLICY }),
      allowedHosts: [],
      allowedOrigins: [],
      tools: selectTools({ include: ["sessions", "tenants"] }),
    });
    const server = await listen(http.app.fetch);
    const list = async (headers: Record<string, string>) => {
      const client = new Client({ name: "t", version: "1" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }),
      );
      try {
        return names((await client.listTools()).tools);
      } finally {
        await client.close();
      }
    };
    try {
      assert.equal((await list({})).length, 9);
      assert.deepEqual(await list({ "X-MCP-Tools": "tenants" }), ["get_tenant_names", "get_tenant_platforms"]);
      assert.deepEqual(await list({ "X-MCP-Tools": "sessions,get_users", "X-MCP-Readonly": "true" }), [
        "find_quality_changes",
        "get_detailed_session_list",
        "get_quality_breakdown",
        "get_session_details",
        "get_session_histogram",
        "get_session_summary",
      ]);
      const refused = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-mcp-tools": "bogus" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /bogus/);
    } finally {
      await server.close();
    }
  });
});
