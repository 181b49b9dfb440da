// Build a configured MCP server from the tool registry. Shells call this: stdio once per
// connection, HTTP once per request (a server per request is the SDK's stateless pattern,
// and the only one it offers for 2026-07-28). The same server serves both protocol eras.
import { type jsonSchemaValidator, McpServer } from "@modelcontextprotocol/server";
import { appViews } from "../apps/views.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { prompts } from "../prompts.ts";
import { resourcesFor } from "../resources.ts";
import type { Tool } from "../tool-kit/define.ts";
import { allTools } from "../tools/index.ts";
import { VERSION } from "../version.ts";
import { SERVER_INSTRUCTIONS } from "./instructions.ts";
import { registerAppViews, registerPrompts, registerResources, registerTools } from "./register.ts";
import { type ContextOptions, toolContextFactory } from "./tool-context.ts";

export { OPERATOR_URL_POLICY } from "./tool-context.ts";

export const SERVER_NAME = "nectar-dxp-mcp";

export interface ServerOptions extends ContextOptions {
  /** The tools to offer (see selectTools). Default: all. */
  tools?: readonly Tool[];
  log?: Logger;
  version?: string;
  /**
   * Checks JSON Schemas the SDK meets at run time: only a client's answer to an elicitation,
   * which our tools never ask for (an `extend` may). Default: the SDK's pick for the runtime
   * (Ajv on Node and Deno, built on first use; its portable cf-worker one under the workerd
   * and browser conditions and in our bundled server, servers/sdk-shims.ts).
   */
  jsonSchemaValidator?: jsonSchemaValidator;
  /**
   * Called with each server once ours are registered, to add what plain tools cannot express
   * through the SDK's own API (e.g. a tool that asks the client for input). Default: nothing.
   */
  extend?: (server: McpServer) => void;
  /** A 2026-07-28 tools/call's server serves that call alone: register only the tool it names (if one of `tools`). */
  onlyTool?: string;
}

/**
 * Per request this registers the tools, the prompts and the resources: cheap, because their
 * JSON Schemas are converted once per process (published-schema.ts). Nothing here compiles
 * code from strings (a test runs a server with code generation disallowed).
 */
export function createServer(options: ServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version ?? VERSION },
    // The tool, prompt and resource lists never change while a server runs (tools/list does not
    // vary with state): say so, rather than the SDK's default listChanged: true.
    {
      instructions: SERVER_INSTRUCTIONS,
      capabilities: {
        logging: {},
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
      },
      jsonSchemaValidator: options.jsonSchemaValidator,
    },
  );
  const contextFor = toolContextFactory(options);
  const tools = options.tools ?? allTools;
  const only = tools.find((tool) => tool.name === options.onlyTool);
  registerTools(server, only ? [only] : tools, contextFor, options.log ?? silentLogger);
  if (!only) {
    registerPrompts(server, prompts);
    registerResources(server, resourcesFor(tools), contextFor);
    // A view shows its tool's results: without the tool (NECTAR_TOOLS, X-MCP-Tools) it has nothing to show.
    registerAppViews(
      server,
      appViews.filter((view) => tools.some((tool) => tool.name === view.tool)),
    );
  }
  options.extend?.(server);
  return server;
}
