// The one file that touches the SDK's tool-registration API. It turns our plain tool
// objects into MCP tools and every outcome into a result: success carries
// structuredContent plus its text rendering; a DxpError becomes an isError result with
// the message written for the model; anything else becomes a generic isError result
// (details go to the log, never a stack to the client). Handlers never catch.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DxpError } from "../errors.ts";
import type { Tool, ToolContext } from "../tools/define.ts";
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
      async (args: unknown, extra: unknown) => runTool(tool, args, extra as CallExtra, contextFor, log),
    );
  }
}

async function runTool(tool: Tool, args: unknown, extra: CallExtra, contextFor: ContextFactory, log: Logger): Promise<CallToolResult> {
  const progressToken = extra._meta?.progressToken;
  const context = contextFor({
    signal: extra.signal,
    progress: async (progress, total, message) => {
      if (progressToken === undefined) return;
      await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress, total, message } });
    },
  });
  const started = Date.now();
  try {
    const { data, text } = await tool.handler(args as never, context);
    log.debug(`tool ${tool.name} ok in ${Date.now() - started} ms`);
    return { content: [{ type: "text", text }], structuredContent: data as Record<string, unknown> };
  } catch (error) {
    if (error instanceof DxpError) {
      log.debug(`tool ${tool.name} ${error.kind} error in ${Date.now() - started} ms: ${error.message}`);
      return errorResult(`${tool.name}: ${error.userMessage}`);
    }
    log.error(`tool ${tool.name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResult(`${tool.name} failed unexpectedly inside the server. The problem was logged; try again or use another tool.`);
  }
}

const errorResult = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });
