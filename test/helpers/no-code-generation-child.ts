// Run under `node --disallow-code-generation-from-strings` (what a CSP without
// 'unsafe-eval' does to an edge runtime): the shared HTTP app with lib's defaults, on the
// embedded DXP, answers tools/list and a tool call. Prints what it got as one JSON line.
import { readConfig } from "../../lib/config.ts";
import { httpAppFromConfig } from "../../lib/http/from-config.ts";
import { silentLogger } from "../../lib/logger.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import { listen } from "./listen.ts";

const simulator = createSimulator({ sessionsPerTenant: 200 });
const upstream = await listen(simulator.fetch);
const config = readConfig({ MCP_TRANSPORT: "http", FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: "8000" });
const demo = { url: upstream.url, ...simulator.issueTokens(), tenant: "acme" };
const { app } = httpAppFromConfig({ config, demo, log: silentLogger });

const rpc = async (id: number, method: string, params: unknown) => {
  const response = await app.fetch(
    new Request("http://127.0.0.1:8000/mcp", {
      method: "POST",
      headers: {
        host: "127.0.0.1:8000",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
    }),
  );
  const text = await response.text();
  return JSON.parse(text.startsWith("{") ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? "{}"));
};

let codeGeneration = "refused";
try {
  new Function("return 1")();
  codeGeneration = "allowed";
} catch {}
const list = await rpc(1, "tools/list", {});
const call = await rpc(2, "tools/call", { name: "get_session_summary", arguments: {} });
process.stdout.write(
  `${JSON.stringify({ codeGeneration, tools: list.result?.tools?.length ?? list, call: call.result ?? call })}\n`,
);
await upstream.close();
