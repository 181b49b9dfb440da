// docs/adding-a-tool.md, followed: a tool written by its recipe (test/fixtures/new-tool/)
// passes the registry's rules, is listed and answers through a real MCP client against the
// simulator, and the selection (group, read-only) treats it as it treats the registry's tools.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { createServer } from "../../lib/server/create-server.ts";
import { newSessionState } from "../../lib/session.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import { defineTool } from "../../lib/tool-kit/define.ts";
import { selectTools } from "../../lib/tool-set/select-tools.ts";
import { allTools, TOOL_GROUPS } from "../../lib/tools/index.ts";
import newTool from "../fixtures/new-tool/get-tenant-count.ts";
import { textOf } from "../helpers/common.ts";
import { listen } from "../helpers/listen.ts";

const loopback = { allowLoopbackHttp: true };

describe("a tool added by docs/adding-a-tool.md", () => {
  let client: Client;
  let close: () => Promise<void>;
  const call = async (name: string) => (await client.callTool({ name, arguments: {} })) as CallToolResult;

  before(async () => {
    const sim = createSimulator({ sessionsPerTenant: 100 });
    const http = await listen(sim.fetch);
    const server = createServer({
      tools: [...allTools, newTool],
      session: newSessionState(),
      environment: { url: http.url, ...sim.issueTokens(), tenant: "acme" },
      urlPolicy: loopback,
      clients: new ClientPool({ urlPolicy: loopback, timeoutMs: 5000, retryDelayMs: 20 }),
    });
    client = new Client({ name: "test", version: "1.0.0" });
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    close = async () => {
      await client.close();
      await server.close();
      await http.close();
    };
  });
  after(() => close());

  it("meets the registry's rules: name, title, description length, group, every annotation", () => {
    assert.match(newTool.name, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    assert.ok(!allTools.some((t) => t.name === newTool.name));
    assert.ok(newTool.description.length >= 80 && newTool.description.length <= 450);
    assert.ok(TOOL_GROUPS.includes(newTool.group));
    for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
      assert.equal(typeof newTool.annotations[key], "boolean", key);
    }
  });

  it("is listed with its title, annotations and output schema", async () => {
    const { tools } = await client.listTools();
    const listed = tools.find((t) => t.name === "get_tenant_count");
    assert.ok(listed, "get_tenant_count is in tools/list");
    assert.equal(listed.title, "Tenant count");
    assert.equal(listed.annotations?.readOnlyHint, true);
    assert.equal(listed.annotations?.openWorldHint, true);
    assert.ok(listed.outputSchema?.properties && "count" in listed.outputSchema.properties);
  });

  it("answers from the DXP: the text a model reads agrees with get_tenant_names", async () => {
    const count = await call("get_tenant_count");
    assert.equal(count.isError, undefined, textOf(count));
    const names = (await call("get_tenant_names")).structuredContent as { tenants: string[] };
    assert.ok(names.tenants.length > 0);
    assert.equal(textOf(count), `${names.tenants.length} tenants.`);
    assert.deepEqual(count.structuredContent, { count: names.tenants.length });
  });

  it("is chosen by its group and kept by read-only mode; a state-changing one is dropped", () => {
    const from = [...allTools, newTool];
    assert.ok(selectTools({ include: ["tenants"] }, from).includes(newTool));
    assert.ok(selectTools({ readOnly: true }, from).includes(newTool));
    const writes = defineTool({
      ...newTool,
      name: "reset_tenant_count",
      inputSchema: () => newTool.inputSchema,
      outputSchema: () => newTool.outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    });
    assert.ok(!selectTools({ readOnly: true }, [...from, writes]).includes(writes));
  });
});
