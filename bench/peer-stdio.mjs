// The cold-start peer (issue 13): a bare SDK v2 stdio server with one zod tool, started with
// plain `node` from node_modules, as a server written in a few lines would be. Ours must
// reach its tools/list answer faster than this does in the same run.
import { McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";

serveStdio(() => {
  const server = new McpServer({ name: "peer", version: "1.0.0" });
  server.registerTool(
    "get_tenant_platforms",
    { description: "The tenant's platforms.", inputSchema: z.object({ tenant: z.string().optional() }) },
    async () => ({ content: [{ type: "text", text: "[]" }] }),
  );
  return server;
});
