// The one file that touches the SDK's registration API. It turns our plain tool objects
// into MCP tools and each outcome (lib/tools/run-tool.ts) into a result: success carries
// structuredContent plus its text rendering; a failure is an isError result with the
// message written for the model. Prompts and resources, plain objects too, register here.
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { viewHtml } from "../apps/html.ts";
import { APP_HTML_MIME_TYPE, type AppView, toolViewMeta } from "../apps/views.ts";
import { DxpError } from "../errors.ts";
import type { PromptDefinition } from "../prompts.ts";
import type { ResourceDefinition } from "../resources.ts";
import type { Tool, ToolContext } from "../tools/define.ts";
import { runTool } from "../tools/run-tool.ts";
import type { Logger } from "./logger.ts";
import { publishedOutputSchema } from "./published-schema.ts";

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
        outputSchema: publishedOutputSchema(tool.outputSchema),
        annotations: { title: tool.title, ...tool.annotations },
        // MCP Apps: hosts that render views show this tool's result in its view; others ignore _meta.
        _meta: toolViewMeta(tool.name),
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

export function registerPrompts(server: McpServer, prompts: readonly PromptDefinition[]): void {
  for (const prompt of prompts) {
    server.registerPrompt(prompt.name, { title: prompt.title, description: prompt.description, argsSchema: prompt.args }, (args) => ({
      messages: [{ role: "user", content: { type: "text", text: prompt.text(args as Record<string, string | undefined>) } }],
    }));
  }
}

export function registerResources(server: McpServer, resources: readonly ResourceDefinition[], contextFor: ContextFactory): void {
  for (const resource of resources) {
    const metadata = { title: resource.title, description: resource.description, mimeType: "application/json" };
    const read = async (uri: URL, variables: Record<string, string>, signal: AbortSignal) => {
      try {
        const value = await resource.read(contextFor({ signal, progress: async () => {} }), variables);
        return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value) }] };
      } catch (error) {
        // The SDK turns a throw into a JSON-RPC error: give it the message written for people.
        throw new Error(error instanceof DxpError ? error.userMessage : "Reading the resource failed inside the server.");
      }
    };
    if (resource.uri.includes("{")) {
      server.registerResource(resource.name, new ResourceTemplate(resource.uri, { list: undefined }), metadata, (uri, variables, extra) =>
        read(uri, variables as Record<string, string>, extra.signal),
      );
    } else {
      server.registerResource(resource.name, resource.uri, metadata, (uri, extra) => read(uri, {}, extra.signal));
    }
  }
}

/** MCP Apps views as `ui://` resources with the Apps MIME type; the HTML loads on the first read. */
export function registerAppViews(server: McpServer, views: readonly AppView[]): void {
  for (const view of views) {
    server.registerResource(view.name, view.uri, { title: view.title, description: view.description, mimeType: APP_HTML_MIME_TYPE }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: APP_HTML_MIME_TYPE, text: await viewHtml(view) }],
    }));
  }
}
