#!/usr/bin/env node
// A short tour: starts the built stdio server on the embedded DXP (--demo), asks it the
// questions a UC engineer would, through a real MCP client, and prints the text answers
// a model would read. Part 1 looks around; part 2 takes a vague question ("why were calls
// bad in Dallas last week?") to its root cause, each step taken from the previous answer's
// text, as a model would; part 4 finds the carrier incident (trunk, start, end) in one
// call and watches the trunk per hour; part 5 summarises endpoint tests by endpoint. Run: npm run demo
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const overview = [
  ["get_connection_status", {}],
  ["get_session_summary", { timePeriod: "LAST_WEEK" }],
  ["get_session_histogram", { timePeriod: "LAST_WEEK" }],
  ["get_users", { search: "dallas", pageSize: 3 }],
  ["get_locations", { pageSize: 3 }],
  ["get_tenant_names", {}],
  ["get_tenant_platforms", {}],
  ["get_endpoint_test_count", { timePeriod: "LAST_WEEK", results: ["FAIL"], locations: ["Dallas"] }],
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

async function ask(name, args) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  console.log(`── ${name} ${JSON.stringify(args)}${result.isError ? "  (error)" : ""}\n${text}\n`);
  return text;
}

/** The first data row of the answer's table, split into cells. */
const firstRow = (text) =>
  text
    .split("\n")
    .find((line, i, lines) => i > 0 && line.includes(" | ") && lines[i - 1].includes(" | "))
    ?.split(" | ") ?? [];

const { tools } = await client.listTools();
console.log(
  `Connected to the stdio server on the embedded DXP (MCP ${client.getNegotiatedProtocolVersion()}): ${tools.length} tools.\n`,
);
console.log("━━ Part 1: a look around\n");
for (const [name, args] of overview) await ask(name, args);

console.log('━━ Part 2: "Why were calls bad in Dallas last week?" — from the symptom to the cause\n');
const sites = await ask("get_location_quality_summary", {
  timePeriod: "LAST_WEEK",
  limit: 5,
  compareWithPreviousPeriod: true,
});
const site = firstRow(sites)[0] ?? "Dallas";
const byNetwork = await ask("get_quality_breakdown", { by: "networkType", locations: [site], timePeriod: "LAST_WEEK" });
const network = firstRow(byNetwork)[0];
const list = await ask("get_detailed_session_list", {
  locations: [site],
  networkType: network,
  qualities: ["CRITICAL"],
  timePeriod: "LAST_WEEK",
  pageSize: 3,
});
const sessionId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(list)?.[0];
const details = sessionId ? await ask("get_session_details", { sessionId }) : "";
const finding = /^- \S+ (\w+): (.*)$/m.exec(details);
console.log(
  `Root cause: at ${site}, calls on ${network} are the poor ones (the breakdown above; the other network types at the site are in line),` +
    ` and an example call shows it${finding ? `: ${finding[1]} — ${finding[2]}` : "."}\n`,
);

console.log('━━ Part 3: "Is it a headset?" — the same walk across every site\n');
const byDevice = await ask("get_quality_breakdown", { by: "device", timePeriod: "LAST_MONTH" });
const device = firstRow(byDevice)[0];
await ask("get_quality_breakdown", { by: "location", device, timePeriod: "LAST_MONTH", limit: 14 });
console.log(
  `Root cause: ${device} is poor at every site while its network metrics are normal: the headset, not the network.\n`,
);

console.log('━━ Part 4: "Was there a carrier incident recently?" — what changed, and when, in one call\n');
const changes = await ask("find_quality_changes", {});
const incident =
  changes
    .split("\n")
    .find((line) => line.startsWith("carrier | "))
    ?.split(" | ") ?? [];
if (incident.length) {
  await ask("get_session_histogram", {
    from: `${incident[3].replace(" ", "T")}:00Z`,
    to: `${incident[4].replace(" ", "T")}:00Z`,
    by: "carrier",
    limit: 3,
  });
  console.log(
    `Incident: ${incident[1]}, from ${incident[3]} to ${incident[4]} UTC (${incident[6]} poor of ${incident[5]} calls; usually ${incident[7]}).\n`,
  );
}
console.log('━━ Part 5: "Do the failing test points share a site or a network?"\n');
await ask("get_endpoint_test_summaries", { by: "endpoint", timePeriod: "LAST_MONTH" });
await client.close();
