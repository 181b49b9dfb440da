#!/usr/bin/env node
// A short tour: starts the built stdio server on the embedded DXP (--demo), asks it the
// questions a UC engineer would, through a real MCP client, and prints the text answers
// a model would read. Run: npm run demo
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const steps = [
  ["get_connection_status", {}],
  ["get_session_summary", { timePeriod: "LAST_WEEK" }],
  ["get_location_quality_summary", { timePeriod: "LAST_WEEK", limit: 5 }],
  ["set_session_filter", { timePeriod: "7d", locations: ["Dallas"] }],
  ["get_session_histogram", { interval: "DAY" }],
  ["get_detailed_session_list", { qualities: ["CRITICAL"], pageSize: 5 }],
  ["get_endpoint_test_count", { results: ["FAIL"] }],
  ["set_session_filter", { clear: true }],
  ["get_users", { search: "dallas", pageSize: 3 }],
  ["get_locations", { pageSize: 3 }],
  ["get_tenant_names", {}],
  ["get_tenant_platforms", {}],
  ["get_endpoint_test_summaries", { results: ["FAIL"], pageSize: 3 }],
];

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [new URL("../dist/servers/cli.js", import.meta.url).pathname, "--demo"],
  stderr: "ignore",
});
// "auto" speaks MCP 2026-07-28 when the server does (this one does) and 2025-11-25 otherwise.
const client = new Client({ name: "nectar-dxp-mcp-tour", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
await client.connect(transport);

const { tools } = await client.listTools();
console.log(`Connected to the stdio server on the embedded DXP (MCP ${client.getNegotiatedProtocolVersion()}): ${tools.length} tools.\n`);
for (const [name, args] of steps) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  console.log(`── ${name} ${JSON.stringify(args)}${result.isError ? "  (error)" : ""}\n${text}\n`);
}
await client.close();
