// The one file that touches the SDK's registration API. It turns our plain tool objects
// into MCP tools and each outcome (lib/tool-kit/run-tool.ts) into a result: success carries
// structuredContent plus its text rendering; a failure is an isError result with the
// message written for the model. Prompts and resources, plain objects too, register here.
import {
  type CallToolResult,
  type McpServer,
  ResourceTemplate,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { viewHtml } from "../apps/html.ts";
import { APP_HTML_MIME_TYPE, type AppView, toolViewMeta } from "../apps/views.ts";
import { messageFor } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { PromptDefinition } from "../prompts.ts";
import type { ResourceDefinition } from "../resources.ts";
import type { Tool, ToolContext } from "../tool-kit/define.ts";
import { runTool } from "../tool-kit/run-tool.ts";
import { convertedOnce, publishedSchemas } from "./published-schema.ts";

export type ContextFactory = (base: Pick<ToolContext, "signal" | "progress">) => ToolContext;

export function registerTools(
  server: McpServer,
  tools: readonly Tool[],
  contextFor: ContextFactory,
  log: Logger,
): void {
  for (const tool of tools) {
    const schemas = publishedSchemas(tool);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: schemas.input,
        outputSchema: schemas.output,
        annotations: publishedAnnotations(tool),
        // MCP Apps: hosts that render views show this tool's result in its view; others ignore _meta.
        _meta: toolViewMeta(tool.name),
      },
      async (args: unknown, ctx: ServerContext) => callTool(tool, args, ctx, contextFor, log),
    );
  }
}

/**
 * The hints a client can act on. The spec gives destructiveHint and idempotentHint meaning
 * only when readOnlyHint is false, and the title is already the tool's own.
 */
function publishedAnnotations({ annotations }: Tool) {
  const { readOnlyHint, openWorldHint, destructiveHint, idempotentHint } = annotations;
  return readOnlyHint
    ? { readOnlyHint, openWorldHint }
    : { readOnlyHint, destructiveHint, idempotentHint, openWorldHint };
}

async function callTool(
  tool: Tool,
  args: unknown,
  ctx: ServerContext,
  contextFor: ContextFactory,
  log: Logger,
): Promise<CallToolResult> {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const context = contextFor({
    signal: ctx.mcpReq.signal,
    progress: async (progress, total, message) => {
      if (progressToken === undefined) return;
      await ctx.mcpReq.notify({
        method: "notifications/progress",
        params: { progressToken, progress, total, message },
      });
    },
  });
  const outcome = await runTool(tool, args, context, log);
  return outcome.ok
    ? { content: [{ type: "text", text: outcome.text }], structuredContent: outcome.data }
    : { content: [{ type: "text", text: outcome.message }], isError: true };
}

const promptArgs = new WeakMap<PromptDefinition, ReturnType<typeof convertedOnce>>();

export function registerPrompts(server: McpServer, prompts: readonly PromptDefinition[]): void {
  for (const prompt of prompts) {
    let argsSchema = promptArgs.get(prompt);
    if (!argsSchema) promptArgs.set(prompt, (argsSchema = convertedOnce(z.object(prompt.args))));
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema },
      (args) => ({
        messages: [
          { role: "user", content: { type: "text", text: prompt.text(args as Record<string, string | undefined>) } },
        ],
      }),
    );
  }
}

export function registerResources(
  server: McpServer,
  resources: readonly ResourceDefinition[],
  contextFor: ContextFactory,
): void {
  for (const resource of resources) {
    const metadata = { title: resource.title, description: resource.description, mimeType: "application/json" };
    const read = async (uri: URL, variables: Record<string, string>, signal: AbortSignal) => {
      try {
        const value = await resource.read(contextFor({ signal, progress: async () => {} }), variables);
        return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value) }] };
      } catch (error) {
        // The SDK turns a throw into a JSON-RPC error: give it the message written for people.
        throw new Error(messageFor(error, "Reading the resource failed inside the server."));
      }
    };
    if (resource.uri.includes("{")) {
      server.registerResource(
        resource.name,
        new ResourceTemplate(resource.uri, { list: undefined }),
        metadata,
        (uri, variables, ctx) => read(uri, variables as Record<string, string>, ctx.mcpReq.signal),
      );
    } else {
      server.registerResource(resource.name, resource.uri, metadata, (uri, ctx) => read(uri, {}, ctx.mcpReq.signal));
    }
  }
}

/** MCP Apps views as `ui://` resources with the Apps MIME type; the HTML loads on the first read. */
export function registerAppViews(server: McpServer, views: readonly AppView[]): void {
  for (const view of views) {
    server.registerResource(
      view.name,
      view.uri,
      { title: view.title, description: view.description, mimeType: APP_HTML_MIME_TYPE },
      async (uri) => ({
        contents: [{ uri: uri.href, mimeType: APP_HTML_MIME_TYPE, text: await viewHtml(view) }],
      }),
    );
  }
}
