// The MCP Streamable HTTP app, shared by every HTTP shell (Node, Deno). A fresh MCP
// server and transport per request (the SDK's stateless pattern, safe across runtimes);
// what a session remembers lives in the session store under our own Mcp-Session-Id.
// Each step is a named middleware: Host/Origin, in-flight count, body limit, draining,
// the caller's headers, the JSON-RPC body and its bounds, the session, then the SDK.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono, type MiddlewareHandler } from "hono";
import type { PartialCredentials } from "../connection.ts";
import { originGuard } from "../security/origin-guard.ts";
import type { UrlPolicy } from "../security/url-policy.ts";
import { ClientPool } from "../server/client-pool.ts";
import { createServer } from "../server/create-server.ts";
import { type Logger, silentLogger } from "../server/logger.ts";
import type { SessionStore } from "../store/interfaces.ts";
import { MemorySessionStore } from "../store/memory-session-store.ts";
import type { Tool } from "../tools/define.ts";
import { allTools } from "../tools/index.ts";
import { bodyLimit } from "./body-limit.ts";
import { type CallerVariables, readCaller } from "./caller.ts";
import { type BatchLimits, type BodyVariables, parseJsonRpc } from "./json-rpc-body.ts";
import { jsonRpcError } from "./json-rpc.ts";
import { deleteSession, resolveSession, type SessionVariables } from "./sessions.ts";

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
  /** Bounds on one JSON-RPC batch. */
  batch?: BatchLimits;
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

type McpEnv = { Variables: CallerVariables & BodyVariables & SessionVariables };

/** Calls in flight and whether the server is draining (shutdown). */
interface Traffic {
  inFlight: number;
  draining: boolean;
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const log = options.log ?? silentLogger;
  const sessions = options.sessions ?? new MemorySessionStore();
  const traffic: Traffic = { inFlight: 0, draining: false };
  const app = new Hono<McpEnv>();

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) =>
    traffic.draining ? c.json({ status: "draining" }, 503) : c.json({ status: "ready", sessions: await sessions.count() }),
  );

  app.use("/mcp", originGuard({ allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins }));
  app.use("/mcp", countInFlight(traffic));
  app.post(
    "/mcp",
    bodyLimit(options.maxBodyBytes ?? 1024 * 1024),
    refuseWhileDraining(traffic),
    readCaller(options.tools ?? allTools, options.clients.keys),
    parseJsonRpc(options.batch),
    resolveSession(sessions),
    serveMcp(options, log, traffic),
  );
  // We offer no standalone server-to-client stream: the spec's answer is 405.
  app.get("/mcp", () => jsonRpcError(405, -32000, "Method not allowed: this server offers no GET stream.", { allow: "POST, DELETE" }));
  app.delete("/mcp", readCaller(options.tools ?? allTools, options.clients.keys), deleteSession(sessions));
  app.all("/mcp", () => jsonRpcError(405, -32000, "Method not allowed.", { allow: "POST, GET, DELETE" }));

  app.onError((error) => {
    log.error(`http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return jsonRpcError(500, -32603, "Internal error.");
  });

  return {
    app: app as unknown as Hono,
    get inFlight() {
      return traffic.inFlight;
    },
    async drain(timeoutMs) {
      traffic.draining = true;
      const deadline = Date.now() + timeoutMs;
      while (traffic.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return traffic.inFlight === 0;
    },
  };
}

function countInFlight(traffic: Traffic): MiddlewareHandler {
  return async (_c, next) => {
    traffic.inFlight += 1;
    try {
      await next();
    } finally {
      traffic.inFlight -= 1;
    }
  };
}

function refuseWhileDraining(traffic: Traffic): MiddlewareHandler {
  return async (_c, next) => {
    if (traffic.draining) return jsonRpcError(503, -32000, "Server is shutting down; retry on another instance.", { "retry-after": "1" });
    await next();
  };
}

/** The SDK's part: a server and transport for this request, answering in JSON or SSE. */
function serveMcp(options: HttpAppOptions, log: Logger, traffic: Traffic): MiddlewareHandler<McpEnv> {
  return async (c) => {
    // The seed's curl sends only `Accept: application/json`; the SDK would answer 406.
    // Such clients get a plain JSON answer; clients that accept SSE get a stream (and progress).
    const wantsStream = (c.req.header("accept") ?? "").includes("text/event-stream");
    const headers = new Headers(c.req.raw.headers);
    headers.set("accept", "application/json, text/event-stream");
    const request = new Request(c.req.url, { method: "POST", headers });
    const newId = c.get("newSessionId");

    const server = createServer({
      session: c.get("state"),
      environment: options.environment,
      environmentSource: options.environmentSource,
      headers: c.get("credentials"),
      clients: options.clients,
      urlPolicy: options.urlPolicy,
      withholdOperatorUrl: true,
      tools: c.get("tools"),
      log,
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: newId ? () => newId : undefined,
      enableJsonResponse: !wantsStream,
    });
    // A client that hangs up cancels its calls, and with them their upstream requests.
    const hangUp = () => void server.close();
    c.req.raw.signal.addEventListener("abort", hangUp, { once: true });
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: c.get("body") });
    if (!wantsStream) {
      c.req.raw.signal.removeEventListener("abort", hangUp);
      return response;
    }
    traffic.inFlight += 1;
    return untilStreamEnds(response, () => {
      traffic.inFlight -= 1;
      c.req.raw.signal.removeEventListener("abort", hangUp);
    });
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
