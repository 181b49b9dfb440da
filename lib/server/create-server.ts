// Build a configured MCP server from the tool registry. Shells call this: stdio once per
// process, HTTP once per request (a server per request is the SDK's stateless pattern).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ClientOptions } from "../client/client.ts";
import {
  type ConnectionLayer,
  type PartialCredentials,
  requireCredentials,
  resolveConnection,
  urlNamedByClient,
} from "../connection.ts";
import { checkDxpUrl, type UrlPolicy } from "../security/url-policy.ts";
import type { SessionState } from "../session.ts";
import type { Tool, ToolContext } from "../tools/define.ts";
import { allTools } from "../tools/index.ts";
import { ClientPool } from "./client-pool.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { registerTools } from "./register-tools.ts";
import { SERVER_INSTRUCTIONS } from "./instructions.ts";
import { VERSION } from "../version.ts";

export const SERVER_NAME = "nectar-dxp-mcp";

/** What the client itself enforces for every URL: HTTPS, or http only to loopback. */
export const OPERATOR_URL_POLICY: UrlPolicy = { allowedHosts: ["*"], allowPrivateAddresses: true, allowLoopbackHttp: true };

export interface ServerOptions {
  /** This MCP session's state (filter, configure_connection credentials). */
  session: SessionState;
  /** The server's own configuration (environment), or the embedded DXP's in demo mode. */
  environment?: PartialCredentials;
  environmentSource?: "environment" | "demo";
  /** This request's X-Nectar-* headers (HTTP only). */
  headers?: PartialCredentials;
  /** Shared across sessions so each credential keeps its renewed tokens. */
  clients?: ClientPool;
  /**
   * Which DXP URLs a client may name (headers, configure_connection). The operator's own
   * environment URL is trusted as configured (HTTPS, or loopback http).
   */
  urlPolicy?: Partial<UrlPolicy>;
  tools?: readonly Tool[];
  log?: Logger;
  now?: () => number;
  version?: string;
}

export function createServer(options: ServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: options.version ?? VERSION },
    { instructions: SERVER_INSTRUCTIONS, capabilities: { logging: {} } },
  );
  const log = options.log ?? silentLogger;
  const clients = options.clients ?? new ClientPool({ urlPolicy: OPERATOR_URL_POLICY });
  const now = options.now ?? Date.now;
  const connection = () =>
    resolveConnection([
      ["configure_connection", options.session.credentials],
      ["headers", options.headers],
      [options.environmentSource ?? "environment", options.environment],
    ] satisfies ConnectionLayer[]);

  registerTools(
    server,
    options.tools ?? allTools,
    (base): ToolContext => ({
      ...base,
      session: options.session,
      connection,
      client: () => {
        const current = connection();
        const credentials = requireCredentials(current);
        // Refused here, before any request leaves: the server must not fetch URLs a client picks freely.
        if (urlNamedByClient(current)) checkDxpUrl(credentials.url, options.urlPolicy);
        return clients.get(credentials);
      },
      checkUrl: (url) => checkDxpUrl(url, options.urlPolicy),
      now,
    }),
    log,
  );
  return server;
}
