// nectar-dxp-mcp/tools: the tools without the MCP SDK or an HTTP server, for agents that
// call them directly (function calling) or host them in their own framework.

export { type FunctionTool, type FunctionToolOptions, toFunctionTools } from "./adapters/function-calling.ts";
export { type ClientOptions, DxpClient } from "./client/client.ts";
export type { DxpCredentials } from "./client/credentials.ts";
export * from "./errors.ts";
export { newSessionState, type SessionState } from "./session.ts";
export { defineTool, type Tool, type ToolContext, type ToolGroup, type ToolResult } from "./tool-kit/define.ts";
export { type ToolManifestEntry, toolManifest } from "./tool-set/manifest.ts";
export { parseToolSelection, selectTools, type ToolSelection } from "./tool-set/select-tools.ts";
export { allTools, TOOL_GROUPS, type ToolName, tools } from "./tools/index.ts";
