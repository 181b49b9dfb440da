// The throughput peer: a bare SDK v2 McpServer with one tool, built per request by the
// SDK's createMcpHandler (the SDK's own stateless pattern) on the same Hono + node-server
// stack as ours. Its tool makes the same upstream GET as ours (BENCH_UPSTREAM_URL, the
// caller's X-Nectar-Access-Token as bearer) and returns the body as text: the SDK's
// per-request floor with nothing of ours on top. Reports `{ ready, url }` over IPC.
import { serve } from "@hono/node-server";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { Hono } from "hono";
import { z } from "zod";

const upstream = process.env.BENCH_UPSTREAM_URL!;
const handler = createMcpHandler(({ requestInfo }) => {
  const server = new McpServer({ name: "peer", version: "1.0.0" });
  server.registerTool(
    "get_tenant_platforms",
    { description: "The tenant's platforms.", inputSchema: z.object({ tenant: z.string().optional() }) },
    async () => {
      const token = requestInfo?.headers.get("x-nectar-access-token") ?? "";
      const response = await fetch(upstream, { headers: { authorization: `Bearer ${token}` } });
      return { content: [{ type: "text", text: await response.text() }], isError: !response.ok };
    },
  );
  return server;
});
const app = new Hono();
app.all("/mcp", (c) => handler.fetch(c.req.raw));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  process.send?.({ ready: true, url: `http://127.0.0.1:${info.port}` });
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
