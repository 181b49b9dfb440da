// Both MCP eras on one /mcp endpoint, through the SDK's own handlers.
//
// - 2026-07-28 requests (a per-request `_meta` envelope, no initialize, no sessions) go to
//   the SDK's createMcpHandler, which validates the revision's headers and envelope and
//   serves each request from a fresh server (the only way it serves that revision).
// - 2025-era requests (initialize, then our Mcp-Session-Id) keep our sessions: the caller
//   looks the session up in its store and hands us a server built on it; we serve it with
//   the SDK's streamable HTTP transport, one per request, as before.
// The split is the SDK's own predicate, isLegacyRequest, so the two legs never disagree on
// which request is which era (SDK docs: "Keep a sessionful 2025 deployment running").
import {
  createMcpHandler,
  isLegacyRequest,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import type { Logger } from "../logger.ts";

export interface LegacyServing {
  /** The session id to hand out with an initialize answer; undefined otherwise. */
  newSessionId?: string;
  /** Answer with an SSE stream (progress notifications) rather than one JSON body. */
  stream: boolean;
}

export interface McpEndpoint {
  /** True for 2025-era traffic (serveLegacy), false for everything the 2026-07-28 leg answers. */
  isLegacy(request: Request, body: unknown): Promise<boolean>;
  /** A 2026-07-28 request, served statelessly by a server from `build` (called at most once). */
  serveModern(request: Request, body: unknown, build: () => McpServer): Promise<Response>;
  /** A 2025-era request on `server`, which the caller built on this request's session. */
  serveLegacy(request: Request, body: unknown, server: McpServer, serving: LegacyServing): Promise<Response>;
  close(): Promise<void>;
}

export interface McpEndpointOptions {
  /** The body bound the app already applies; the SDK classifies under the same one. */
  maxBodyBytes: number;
  log: Logger;
}

export function createMcpEndpoint({ maxBodyBytes, log }: McpEndpointOptions): McpEndpoint {
  // The SDK calls its factory with the Request it was given: that is how a request's own
  // server (its credentials, its tool selection) reaches the factory.
  const builders = new WeakMap<Request, () => McpServer>();
  const modern = createMcpHandler(
    ({ requestInfo }) => {
      const build = requestInfo && builders.get(requestInfo);
      if (!build) throw new Error("No server builder for this request.");
      return build();
    },
    {
      // 2025-era traffic never reaches this handler (we route it first); 'reject' makes sure.
      legacy: "reject",
      maxRequestBodySize: maxBodyBytes,
      onerror: (error) => log.debug(`mcp 2026-07-28: ${error.message}`),
    },
  );

  return {
    isLegacy: (request, body) => isLegacyRequest(request, body, { maxRequestBodySize: maxBodyBytes }),

    async serveModern(request, body, build) {
      builders.set(request, build);
      try {
        return await modern.fetch(request, { parsedBody: body });
      } finally {
        builders.delete(request);
      }
    },

    async serveLegacy(request, body, server, { newSessionId, stream }) {
      // The seed's curl sends only `Accept: application/json`; the SDK's transport would
      // answer 406. Such clients get a plain JSON answer; clients that accept SSE get a
      // stream (and progress).
      const headers = new Headers(request.headers);
      headers.set("accept", "application/json, text/event-stream");
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: newSessionId ? () => newSessionId : undefined,
        enableJsonResponse: !stream,
      });
      await server.connect(transport);
      return transport.handleRequest(new Request(request.url, { method: "POST", headers }), { parsedBody: body });
    },

    close: () => modern.close(),
  };
}
