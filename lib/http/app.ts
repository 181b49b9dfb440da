// The MCP Streamable HTTP app, shared by every HTTP shell (Node, Deno). A fresh MCP
// server and transport per request (the SDK's stateless pattern, safe across runtimes);
// what a 2025-era session remembers lives in the session store under our own
// Mcp-Session-Id. 2026-07-28 requests have no session (mcp-handler.ts routes the eras).
// Each step is a named middleware: Host/Origin, in-flight count, body limit, draining,
// the caller's headers, the JSON-RPC body and its bounds, the 2026-07-28 leg, the
// session, then the 2025-era leg.
import type { McpServer } from "@modelcontextprotocol/server";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { PartialCredentials } from "../connection.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { originGuard } from "../security/origin-guard.ts";
import type { UrlPolicy } from "../security/url-policy.ts";
import type { ClientPool } from "../server/client-pool.ts";
import { createServer, type ServerOptions } from "../server/create-server.ts";
import { newSessionState, type SessionState } from "../session.ts";
import type { FilterStore, SessionStore } from "../session-store.ts";
import { BudgetExceededError, type Budgets, budgetsForHeap } from "../store/budgets.ts";
import { filterHandles } from "../store/filter-handles.ts";
import { MemoryFilterStore } from "../store/memory-filter-store.ts";
import { MemorySessionStore } from "../store/memory-session-store.ts";
import { StoreUnavailableError } from "../store/store-error.ts";
import type { Tool } from "../tool-kit/define.ts";
import { allTools } from "../tools/index.ts";
import { bodyLimit } from "./body-limit.ts";
import { type CallerVariables, readCaller } from "./caller.ts";
import { jsonRpcError } from "./json-rpc.ts";
import { type BatchLimits, type BodyVariables, parseJsonRpc } from "./json-rpc-body.ts";
import { createMcpEndpoint, type McpEndpoint } from "./mcp-handler.ts";
import { deleteSession, resolveSession, type SessionVariables } from "./sessions.ts";
import { countInFlight, drain, newTraffic, refuseWhileDraining, type Traffic, tracked } from "./traffic.ts";

export interface HttpAppOptions {
  environment?: PartialCredentials;
  environmentSource?: "environment" | "demo";
  /** DXP URLs a client may name in X-Nectar-DXP-URL or configure_connection. */
  urlPolicy: Partial<UrlPolicy>;
  clients: ClientPool;
  sessions?: SessionStore;
  /** set_session_filter's handles. Default: in this process's memory. */
  filters?: FilterStore;
  /** False while a shared store is unreachable: /readyz answers 503. Default: always ready. */
  storeReady?: () => boolean;
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
  /** Byte budgets of saved filters per caller (the store bounds the total). Default: from the heap (budgets.ts). */
  budgets?: Pick<Budgets, "filterBytesPerCaller" | "filterBytesAnonymous">;
  /** Adds SDK-level handlers to each request's server (see ServerOptions.extend). */
  extendServer?: (server: McpServer) => void;
  log?: Logger;
  /** The shell's choice of JSON Schema validator (see createServer). */
  jsonSchemaValidator?: ServerOptions["jsonSchemaValidator"];
}

export interface HttpApp {
  app: Hono;
  /** Stop being ready and wait (bounded) for calls in flight; true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
  readonly inFlight: number;
}

type McpEnv = { Variables: CallerVariables & BodyVariables & SessionVariables };

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const log = options.log ?? silentLogger;
  const sessions = options.sessions ?? new MemorySessionStore();
  const filters = options.filters ?? new MemoryFilterStore();
  const storeReady = options.storeReady ?? (() => true);
  const budgets = options.budgets ?? budgetsForHeap();
  const traffic = newTraffic();
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const endpoint = createMcpEndpoint({ maxBodyBytes: maxBody, log });
  const app = new Hono<McpEnv>();

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (traffic.draining) return c.json({ status: "draining" }, 503);
    if (!storeReady()) return c.json({ status: "store unreachable" }, 503);
    return c.json({ status: "ready", sessions: await sessions.count() });
  });

  app.use("/mcp", originGuard({ allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins }));
  app.use("/mcp", countInFlight(traffic));
  app.post(
    "/mcp",
    bodyLimit(maxBody),
    refuseWhileDraining(traffic),
    readCaller(options.tools ?? allTools, options.clients.keys),
    parseJsonRpc(options.batch),
    serveModernEra(endpoint, options, filters, budgets, log, traffic),
    resolveSession(sessions),
    serveLegacyEra(endpoint, options, filters, budgets, log, traffic),
  );
  // We offer no standalone server-to-client stream: the spec's answer is 405.
  app.get("/mcp", () =>
    jsonRpcError(405, -32000, "Method not allowed: this server offers no GET stream.", { allow: "POST, DELETE" }),
  );
  app.delete("/mcp", readCaller(options.tools ?? allTools, options.clients.keys), deleteSession(sessions));
  app.all("/mcp", () => jsonRpcError(405, -32000, "Method not allowed.", { allow: "POST, GET, DELETE" }));

  app.onError((error) => {
    if (error instanceof StoreUnavailableError)
      return jsonRpcError(503, -32000, error.userMessage, { "retry-after": "1" });
    if (error instanceof BudgetExceededError)
      return jsonRpcError(503, -32000, error.userMessage, { "retry-after": "60" });
    log.error(`http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return jsonRpcError(500, -32603, "Internal error.");
  });

  return {
    app: app as unknown as Hono,
    get inFlight() {
      return traffic.inFlight;
    },
    drain: (timeoutMs) => drain(traffic, timeoutMs),
  };
}

type FilterBudgets = NonNullable<HttpAppOptions["budgets"]>;

/**
 * This request's MCP server: its caller's credentials, tools and saved filters, on `session`.
 * A caller without credential headers shares its owner key with every other such caller,
 * so its session keeps nothing (a fresh state each request) and its saved filters share
 * the anonymous budget.
 */
function serverFor(
  c: Context<McpEnv>,
  options: HttpAppOptions,
  filters: FilterStore,
  budgets: FilterBudgets,
  log: Logger,
  session: SessionState,
  stateless: boolean,
  onlyTool?: string,
): McpServer {
  const anonymous = c.get("anonymous");
  const quota = anonymous
    ? { ownerBytes: budgets.filterBytesAnonymous, anonymous }
    : { ownerBytes: budgets.filterBytesPerCaller };
  return createServer({
    session: anonymous ? newSessionState() : session,
    stateless: stateless || anonymous,
    anonymous,
    filters: filterHandles(filters, c.get("owner"), Date.now, quota),
    environment: options.environment,
    environmentSource: options.environmentSource,
    headers: c.get("credentials"),
    clients: options.clients,
    urlPolicy: options.urlPolicy,
    withholdOperatorUrl: true,
    tools: c.get("tools"),
    extend: options.extendServer,
    log,
    jsonSchemaValidator: options.jsonSchemaValidator,
    onlyTool,
  });
}

/** The tool a single tools/call names: its server needs no other (a batch gets the full server). */
function calledTool(body: unknown): string | undefined {
  const message = body as { method?: unknown; params?: { name?: unknown } } | null;
  return message?.method === "tools/call" && typeof message.params?.name === "string" ? message.params.name : undefined;
}

/**
 * A client that hangs up cancels its calls (closing the server aborts their signals), and
 * with them their upstream requests. Returns the function that stops watching, called when
 * the answer is complete (so the request does not keep the server alive).
 */
function cancelOnHangUp(request: Request, server: McpServer): () => void {
  const hangUp = () => void server.close();
  if (request.signal.aborted) hangUp();
  else request.signal.addEventListener("abort", hangUp, { once: true });
  return () => request.signal.removeEventListener("abort", hangUp);
}

/** 2026-07-28: the request carries everything (no session); nothing is remembered. */
function serveModernEra(
  endpoint: McpEndpoint,
  options: HttpAppOptions,
  filters: FilterStore,
  budgets: FilterBudgets,
  log: Logger,
  traffic: Traffic,
): MiddlewareHandler<McpEnv> {
  return async (c, next) => {
    if (await endpoint.isLegacy(c.req.raw, c.get("body"))) return next();
    let done = () => {};
    const response = await endpoint.serveModern(c.req.raw, c.get("body"), () => {
      const server = serverFor(c, options, filters, budgets, log, newSessionState(), true, calledTool(c.get("body")));
      done = cancelOnHangUp(c.req.raw, server);
      return server;
    });
    return tracked(traffic, response, () => done());
  };
}

/** 2025-era: a server on this request's session (resolveSession found or made it). */
function serveLegacyEra(
  endpoint: McpEndpoint,
  options: HttpAppOptions,
  filters: FilterStore,
  budgets: FilterBudgets,
  log: Logger,
  traffic: Traffic,
): MiddlewareHandler<McpEnv> {
  return async (c) => {
    const stream = (c.req.header("accept") ?? "").includes("text/event-stream");
    const server = serverFor(c, options, filters, budgets, log, c.get("state"), c.get("sessionId") === undefined);
    const done = cancelOnHangUp(c.req.raw, server);
    const response = await endpoint.serveLegacy(c.req.raw, c.get("body"), server, {
      newSessionId: c.get("newSessionId"),
      stream,
    });
    return tracked(traffic, response, done);
  };
}
