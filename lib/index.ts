// nectar-dxp-mcp: the runtime-agnostic core. Tools, the DXP client, the MCP server
// factory and HTTP app, errors and types. Smaller entries: `nectar-dxp-mcp/tools` (no MCP
// SDK, no HTTP) and `nectar-dxp-mcp/simulator` (the embedded DXP, for your tests).

export { type FunctionTool, type FunctionToolOptions, toFunctionTools } from "./adapters/function-calling.ts";
export { type ClientOptions, DxpClient } from "./client/client.ts";
export type { DxpCredentials } from "./client/credentials.ts";
export { applyEndpointOverrides } from "./client/endpoint-overrides.ts";
export { API_PREFIX, type ApiTable, DEFAULT_API, ENDPOINTS, PARAMS } from "./client/endpoints.ts";
export * from "./client/vocabulary.ts";
export { ENV, type Env, readConfig, type ServerConfig } from "./config.ts";
export { type PartialCredentials, resolveConnection } from "./connection.ts";
export {
  type DoctorOptions,
  type DoctorReport,
  doctorExitCode,
  type EndpointCheck,
  renderReport,
  runDoctor,
} from "./doctor/doctor.ts";
export * from "./errors.ts";
export type { SessionFilter } from "./filter.ts";
export { createHttpApp, type HttpApp, type HttpAppOptions } from "./http/app.ts";
export { type Logger, silentLogger } from "./logger.ts";
export { type PromptDefinition, prompts } from "./prompts.ts";
export { type ResourceDefinition, resources } from "./resources.ts";
export { classifyHost } from "./security/address-classes.ts";
export { checkDxpUrl, DEFAULT_URL_POLICY, type UrlPolicy } from "./security/url-policy.ts";
export { ClientPool } from "./server/client-pool.ts";
export { createServer, OPERATOR_URL_POLICY, SERVER_NAME, type ServerOptions } from "./server/create-server.ts";
export { newSessionState, type SessionState } from "./session.ts";
export type { FilterStore, SessionStore, Stores } from "./session-store.ts";
export type { AnswerStore, TokenStore } from "./store/interfaces.ts";
export type { KvAtomicLike, KvLike } from "./store/kv-client.ts";
export { type KvStoresOptions, kvStores } from "./store/kv-stores.ts";
export { MemoryFilterStore } from "./store/memory-filter-store.ts";
export { MemorySessionStore } from "./store/memory-session-store.ts";
export type { RedisLike } from "./store/redis-client.ts";
export { type RedisStoresOptions, redisStores, type SharedStores } from "./store/shared-stores.ts";
export { StoreUnavailableError } from "./store/store-error.ts";
export { defineTool, type Tool, type ToolContext, type ToolGroup, type ToolResult } from "./tool-kit/define.ts";
export { type ToolManifestEntry, toolManifest } from "./tool-set/manifest.ts";
export { parseToolSelection, selectTools, type ToolSelection } from "./tool-set/select-tools.ts";
export { allTools, TOOL_GROUPS, type ToolName, tools } from "./tools/index.ts";
export { VERSION } from "./version.ts";
