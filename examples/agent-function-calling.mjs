#!/usr/bin/env node
// The tools without MCP: toFunctionTools gives plain definitions (name, description,
// JSON Schema parameters) and execute(), for agents built on a model's native tool use.
// Here a scripted "model" stands in; the definitions are printed in the Anthropic
// Messages API's tool format to show the mapping.
//   npm run build && node examples/agent-function-calling.mjs
import { serve } from "@hono/node-server";
import { selectTools, toFunctionTools } from "nectar-dxp-mcp";
import { createSimulator } from "nectar-dxp-mcp/simulator";

const simulator = createSimulator({ sessionsPerTenant: 5000 });
const upstream = await new Promise((resolve) => {
  const server = serve({ fetch: simulator.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
    resolve({ server, port: info.port }),
  );
});

// Only the tools this agent needs: a smaller context for the model.
const tools = toFunctionTools({
  tools: selectTools({ include: ["sessions", "locations"], readOnly: true }),
  environment: { url: `http://127.0.0.1:${upstream.port}`, ...simulator.issueTokens(), tenant: "acme" },
});

// What you would pass as `tools` to the model (Anthropic format: name, description, input_schema).
const definitions = tools.map(({ name, description, parameters }) => ({ name, description, input_schema: parameters }));
console.log(`${definitions.length} tool definitions: ${definitions.map((d) => d.name).join(", ")}\n`);

// A scripted stand-in for the model's tool-use turns.
const turns = [
  { name: "get_session_histogram", input: { timePeriod: "LAST_WEEK", interval: "DAY" } },
  { name: "get_location_quality_summary", input: { timePeriod: "LAST_WEEK", limit: 3 } },
  { name: "get_session_summary", input: { timePeriod: "LAST_WEEK", qualities: ["NOT_A_QUALITY"] } },
];
const byName = new Map(tools.map((t) => [t.name, t]));
for (const turn of turns) {
  const outcome = await byName.get(turn.name).execute(turn.input);
  // Feed `text` (or the error message) back to the model as the tool result.
  console.log(
    `→ ${turn.name} ${JSON.stringify(turn.input)}${outcome.ok ? "" : "  (error)"}\n${outcome.ok ? outcome.text : outcome.message}\n`,
  );
}
upstream.server.close();
