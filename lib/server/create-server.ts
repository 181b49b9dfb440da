// Build a configured MCP server from the tool registry. Shells call this: stdio once per
// process, HTTP once per request (a server per request is the SDK's stateless pattern).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import type { Tool } from "../tools/define.ts";
import { allTools } from "../tools/index.ts";
import { VERSION } from "../version.ts";
import { SERVER_INSTRUCTIONS } from "./instructions.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { prompts } from "../prompts.ts";
import { resources } from "../resources.ts";
import { appViews } from "../apps/views.ts";
import { registerAppViews, registerPrompts, registerResources, registerTools } from "./register.ts";
import { type ContextOptions, toolContextFactory } from "./tool-context.ts";

export { OPERATOR_URL_POLICY } from "./tool-context.ts";

export const SERVER_NAME = "nectar-dxp-mcp";

export interface ServerOptions extends ContextOptions {
  /** The tools to offer (see selectTools). Default: all. */
  tools?: readonly Tool[];
  log?: Logger;
  version?: string;
}

/**
 * One JSON Schema validator for every server: the SDK would build a new Ajv per McpServer,
 * which over HTTP (a server per request) was a tenth of each request's CPU.
 */
let sharedValidator: AjvJsonSchemaValidator | undefined;

export function createServer(options: ServerOptions): McpServer {
  sharedValidator ??= new AjvJsonSchemaValidator();
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version ?? VERSION },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { logging: {} }, jsonSchemaValidator: sharedValidator },
  );
  const contextFor = toolContextFactory(options);
  registerTools(server, options.tools ?? allTools, contextFor, options.log ?? silentLogger);
  registerPrompts(server, prompts);
  registerResources(server, resources, contextFor);
  registerAppViews(server, appViews);
  return server;
}
