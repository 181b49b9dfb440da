// The one file that touches the SDK's tool-registration API. It turns our plain tool
// objects into MCP tools and each outcome (lib/tools/run-tool.ts) into a result: success
// carries structuredContent plus its text rendering; a failure is an isError result with
// the message written for the model.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Tool, ToolContext } from "../tools/define.ts";
import { runTool } from "../tools/run-tool.ts";
import type { Logger } from "./logger.ts";

/** What the SDK hands a tool callback, the parts we use. */
export interface CallExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: {
    method: "notifications/progress";
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
}

export type ContextFactory = (base: Pick<ToolContext, "signal" | "progress">) => ToolContext;

export function registerTools(server: McpServer, tools: readonly Tool[], contextFor: ContextFactory, log: Logger): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: unknown, extra: unknown) => callTool(tool, args, extra as CallExtra, contextFor, log),
    );
  }
}

async function callTool(tool: Tool, args: unknown, extra: CallExtra, contextFor: ContextFactory, log: Logger): Promise<CallToolResult> {
  const progressToken = extra._meta?.progressToken;
  const context = contextFor({
    signal: extra.signal,
    progress: async (progress, total, message) => {
      if (progressToken === undefined) return;
      await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress, total, message } });
    },
  });
  const outcome = await runTool(tool, args, context, log);
  return outcome.ok
    ? { content: [{ type: "text", text: outcome.text }], structuredContent: outcome.data }
    : { content: [{ type: "text", text: outcome.message }], isError: true };
}
