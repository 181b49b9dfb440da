// Issue 19, item 1: tool schemas every provider accepts. What tools/list publishes (read by a
// real MCP client), what the function-calling adapter hands an agent and what tools.json
// documents are walked against the common subset of OpenAI function calling, Gemini's legacy
// `parameters` (an OpenAPI 3.0 subset) and VS Code Copilot's checks (test/helpers/provider-rules.ts;
// each rule and its source in docs/tool-schemas.md); the list stays within issue 13's token
// budget; and null, which OpenAI strict mode sends for every optional field left out, means
// "not given" on every tool.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { toFunctionTools } from "../lib/adapters/function-calling.ts";
import { createSimulator } from "../lib/simulator/index.ts";
import { type Harness, startHarness, textOf } from "./helpers/harness.ts";
import { listen } from "./helpers/listen.ts";

const NOW = Date.parse("2026-11-24T15:00:00Z");

/** A result's text without what differs between two identical calls (a measured latency, a new filter handle). */
const comparable = (result: unknown) =>
  textOf(result)
    .replace(/answered in \d+ ms/, "answered in … ms")
    .replace(/flt_[0-9a-f]+/g, "flt_…");

/** Every field of a tool's published input, null: what a strict-mode client sends when the model fills none. */
const allNull = (tool: McpTool) => Object.fromEntries(Object.keys(tool.inputSchema.properties ?? {}).map((key) => [key, null]));

describe("null for an optional field means not given", () => {
  let harness: Harness;
  let tools: McpTool[];
  before(async () => {
    harness = await startHarness({ now: () => NOW, simulator: { sessionsPerTenant: 300 } });
    ({ tools } = await harness.client.listTools());
  });
  after(() => harness.close());

  it("every tool answers a tools/call whose fields are all null as it answers one that leaves them out", async () => {
    assert.ok(tools.length >= 16);
    const refused: string[] = [];
    // configure_connection last: whatever it does to this session must not change the others' answers.
    for (const tool of [...tools.filter((t) => t.name !== "configure_connection"), ...tools.filter((t) => t.name === "configure_connection")]) {
      const omitted = await harness.call(tool.name, {});
      const nulls = await harness.call(tool.name, allNull(tool));
      if (nulls.isError && !omitted.isError) refused.push(`${tool.name}: ${textOf(nulls)}`);
      else assert.equal(comparable(nulls), comparable(omitted), tool.name);
    }
    assert.deepEqual(refused, []);
  });

  it("a null among given fields leaves the given ones in force", async () => {
    const result = await harness.call("get_detailed_session_list", { pageSize: 2, platforms: ["TEAMS"], orderBy: null, tenant: null });
    assert.ok(!result.isError, textOf(result));
    const sessions = (result.structuredContent as { sessions: { platform: string }[] }).sessions;
    assert.equal(sessions.length, 2);
    assert.ok(sessions.every((s) => s.platform === "TEAMS"));
  });

  it("a null inside a list is still refused, naming the field", async () => {
    const result = await harness.call("get_session_summary", { platforms: [null] });
    assert.ok(result.isError);
    assert.match(textOf(result), /platforms/);
  });

  it("the function-calling adapter accepts null the same way", async () => {
    const sim = createSimulator({ sessionsPerTenant: 300, now: () => NOW });
    const http = await listen(sim.fetch);
    try {
      const adapter = toFunctionTools({ environment: { url: http.url, ...sim.issueTokens(), tenant: "acme" }, urlPolicy: { allowLoopbackHttp: true }, now: () => NOW });
      const summary = adapter.find((t) => t.name === "get_session_summary")!;
      const keys = Object.keys(summary.parameters.properties as object);
      const withNulls = await summary.execute(Object.fromEntries(keys.map((k) => [k, null])));
      const without = await summary.execute({});
      assert.ok(withNulls.ok, withNulls.ok ? "" : withNulls.message);
      assert.equal(withNulls.ok && without.ok && withNulls.text, without.ok && without.text);
    } finally {
      await http.close();
    }
  });
});
