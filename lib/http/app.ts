// The MCP Streamable HTTP app, shared by every HTTP shell (Node, Deno). A fresh MCP
// server and transport per request (the SDK's stateless pattern, safe across runtimes);
// what a 2025-era session remembers lives in the session store under our own
// Mcp-Session-Id. 2026-07-28 requests have no session (mcp-handler.ts routes the eras).
import { Hono } from "hono";
import type { PartialCredentials } from "../connection.ts";
import { originGuard } from "../security/origin-guard.ts";
import type { UrlPolicy } from "../security/url-policy.ts";
import type { ClientPool } from "../server/client-pool.ts";
import { createServer } from "../server/create-server.ts";
import { type Logger, silentLogger } from "../server/logger.ts";
import { newSessionState, type SessionState } from "../session.ts";
import { DxpError } from "../errors.ts";
import type { Tool } from "../tools/define.ts";
import { allTools } from "../tools/index.ts";
import { parseToolSelection, selectTools } from "../tools/select.ts";
import { bodyLimit } from "./body-limit.ts";
import { HeaderError, readCredentialHeaders } from "./credential-headers.ts";
import { jsonRpcError } from "./json-rpc.ts";
import { createMcpEndpoint } from "./mcp-handler.ts";
import { MemorySessionStore, type SessionStore } from "./session-store.ts";

export interface HttpAppOptions {
  environment?: PartialCredentials;
  environmentSource?: "environment" | "demo";
  /** DXP URLs a client may name in X-Nectar-DXP-URL or configure_connection. */
  urlPolicy: Partial<UrlPolicy>;
  clients: ClientPool;
  sessions?: SessionStore;
  /** Host header values accepted at /mcp (empty: any). */
  allowedHosts: readonly string[];
  /** Browser origins accepted at /mcp (no CORS wildcard). */
  allowedOrigins: readonly string[];
  /** Largest request body, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** What the server offers; a request may narrow it with X-MCP-Tools / X-MCP-Readonly. */
  tools?: readonly Tool[];
  log?: Logger;
}

export interface HttpApp {
  app: Hono;
  /** Stop being ready and wait (bounded) for calls in flight; true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
  readonly inFlight: number;
}

const SESSION_HEADER = "mcp-session-id";

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const log = options.log ?? silentLogger;
  const sessions = options.sessions ?? new MemorySessionStore();
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  let inFlight = 0;
  let draining = false;
  const app = new Hono();
  const endpoint = createMcpEndpoint({ maxBodyBytes: maxBody, log });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => (draining ? c.json({ status: "draining" }, 503) : c.json({ status: "ready", sessions: sessions.size })));

  app.use("/mcp", originGuard({ allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins }));
  app.use("/mcp", async (c, next) => {
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  });

  app.post(
    "/mcp",
    bodyLimit(maxBody),
    async (c) => {
      if (draining) return jsonRpcError(503, -32000, "Server is shutting down; retry on another instance.", { "retry-after": "1" });
      let credentials: PartialCredentials | undefined;
      let tools: readonly Tool[];
      try {
        credentials = readCredentialHeaders(c.req.raw.headers);
        tools = toolsForRequest(c.req.raw.headers, options.tools ?? allTools);
      } catch (error) {
        return jsonRpcError(400, -32600, error instanceof DxpError ? error.userMessage : (error as HeaderError).message);
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
      }
      if (Array.isArray(body) && body.length === 0) return jsonRpcError(400, -32600, "Invalid Request: empty batch.");
      const serverFor = (session: SessionState) =>
        createServer({
          session,
          environment: options.environment,
          environmentSource: options.environmentSource,
          headers: credentials,
          clients: options.clients,
          urlPolicy: options.urlPolicy,
          tools,
          log,
        });
      if (!(await endpoint.isLegacy(c.req.raw, body))) {
        // 2026-07-28: the request carries everything (no session); nothing is remembered.
        return tracked(await endpoint.serveModern(c.req.raw, body, () => serverFor(newSessionState())));
      }
      const initialize = isInitialize(body);
      const sessionId = c.req.header(SESSION_HEADER);
      let state: SessionState;
      let newId: string | undefined;
      if (initialize) {
        newId = crypto.randomUUID();
        state = await sessions.create(newId);
      } else if (sessionId) {
        const found = await sessions.get(sessionId);
        if (!found) return jsonRpcError(404, -32001, "Session not found or expired: initialize a new session.");
        state = found;
      } else {
        state = newSessionState(); // a client without sessions: nothing is remembered
      }

      const wantsStream = (c.req.header("accept") ?? "").includes("text/event-stream");
      const response = await endpoint.serveLegacy(c.req.raw, body, serverFor(state), { newSessionId: newId, stream: wantsStream });
      const id = newId ?? sessionId;
      if (id) await sessions.save(id, state);
      return wantsStream ? tracked(response) : response;
    },
  );

  /** A streamed answer stays in flight (for drain) until its last byte. */
  const tracked = (response: Response): Response => {
    if (!response.headers.get("content-type")?.includes("text/event-stream")) return response;
    inFlight += 1;
    return untilStreamEnds(response, () => {
      inFlight -= 1;
    });
  };

  // We offer no standalone server-to-client stream: the spec's answer is 405.
  app.get("/mcp", () => jsonRpcError(405, -32000, "Method not allowed: this server offers no GET stream.", { allow: "POST, DELETE" }));

  app.delete("/mcp", async (c) => {
    const sessionId = c.req.header(SESSION_HEADER);
    if (!sessionId) return jsonRpcError(400, -32000, "Mcp-Session-Id header required.");
    return (await sessions.delete(sessionId)) ? c.body(null, 204) : jsonRpcError(404, -32001, "Session not found.");
  });

  app.all("/mcp", () => jsonRpcError(405, -32000, "Method not allowed.", { allow: "POST, GET, DELETE" }));

  app.onError((error) => {
    log.error(`http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return jsonRpcError(500, -32603, "Internal error.");
  });

  return {
    app,
    get inFlight() {
      return inFlight;
    },
    async drain(timeoutMs) {
      draining = true;
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return inFlight === 0;
    },
  };
}

/**
 * A streamed answer is in flight until its last byte, not when the handler returns:
 * `onEnd` runs once, when the stream ends or the client cancels it.
 */
function untilStreamEnds(response: Response, onEnd: () => void): Response {
  if (!response.body) {
    onEnd();
    return response;
  }
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  const reader = response.body.getReader();
  const tracked = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          end();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  return new Response(tracked, { status: response.status, headers: response.headers });
}

/** X-MCP-Tools / X-MCP-Readonly narrow this request's tools (as GitHub's and Grafana's servers do). */
function toolsForRequest(headers: Headers, offered: readonly Tool[]): readonly Tool[] {
  const include = headers.get("x-mcp-tools") ?? undefined;
  const readOnly = headers.get("x-mcp-readonly") ?? undefined;
  return include || readOnly ? selectTools(parseToolSelection(include, readOnly), offered) : offered;
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => typeof m === "object" && m !== null && (m as { method?: unknown }).method === "initialize");
}
