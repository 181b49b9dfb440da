#!/usr/bin/env node
import { serve } from "@hono/node-server";
// Embedding the MCP server in your own agent: build it with createServer, connect an SDK
// client in-process, and let a (here: scripted) agent loop pick the next tool from what
// the last answer said. The embedded simulator stands in for your DXP.
//   npm run build && node examples/agent-sdk-client.mjs
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { ClientPool, createServer, newSessionState, OPERATOR_URL_POLICY } from "nectar-dxp-mcp";
import { createSimulator } from "nectar-dxp-mcp/simulator";

// Your DXP would be { url: "https://<instance>.nectar.services", accessToken, refreshToken, tenant }.
const simulator = createSimulator({ sessionsPerTenant: 5000 });
const upstream = await new Promise((resolve) => {
  const server = serve({ fetch: simulator.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
    resolve({ server, port: info.port }),
  );
});
const environment = { url: `http://127.0.0.1:${upstream.port}`, ...simulator.issueTokens(), tenant: "acme" };

const server = createServer({
  session: newSessionState(),
  environment,
  clients: new ClientPool({ urlPolicy: OPERATOR_URL_POLICY }),
});
const client = new Client({ name: "my-agent", version: "1.0.0" });
const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
await client.connect(clientSide);

async function call(name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  console.log(`→ ${name} ${JSON.stringify(args)}\n${result.content[0].text}\n`);
  if (result.isError) throw new Error(result.content[0].text);
  return result.structuredContent;
}

// The agent loop: each step reads the previous structured answer to choose the next call.
const byLocation = await call("get_location_quality_summary", { timePeriod: "LAST_WEEK", limit: 3 });
const worst = byLocation.locations[0];
console.log(`Agent: the worst site is ${worst.name} (${worst.poorPercent}% poor); drilling in.\n`);
await call("set_session_filter", { timePeriod: "LAST_WEEK", locations: [worst.name] });
const summary = await call("get_session_summary");
// Insights come keyed by name with their session counts (shares follow from totalSessions).
const [insight, count] = Object.entries(summary.insights).sort((a, b) => b[1] - a[1])[0] ?? ["none", 0];
console.log(
  `Agent: the leading insight at ${worst.name} is ${insight} (${count} of ${summary.totalSessions} sessions).\n`,
);
await call("get_detailed_session_list", { qualities: ["CRITICAL"], pageSize: 3 });

await client.close();
await server.close();
upstream.server.close();
