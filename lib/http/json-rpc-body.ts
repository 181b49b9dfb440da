// The POST body as JSON-RPC, with bounds on what one request may ask for: a batch has at
// most `maxMessages` messages and `maxToolCalls` tool calls (each call counts against the
// upstream limits too), and `initialize` is never batched (the SDK refuses that batch, and
// a session must not be created for it).
import type { MiddlewareHandler } from "hono";
import { jsonRpcError } from "./json-rpc.ts";

export interface BatchLimits {
  /** Messages in one JSON-RPC batch. Default 32. */
  maxMessages?: number;
  /** tools/call requests in one batch. Default 8. */
  maxToolCalls?: number;
}

export interface BodyVariables {
  body: unknown;
  /** The body holds an initialize request. */
  initialize: boolean;
}

export function parseJsonRpc(limits: BatchLimits = {}): MiddlewareHandler<{ Variables: BodyVariables }> {
  const maxMessages = limits.maxMessages ?? 32;
  const maxToolCalls = limits.maxToolCalls ?? 8;
  return async (c, next) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
    }
    const messages = Array.isArray(body) ? body : [body];
    if (Array.isArray(body)) {
      if (body.length === 0) return jsonRpcError(400, -32600, "Invalid Request: empty batch.");
      if (body.length > maxMessages) {
        return jsonRpcError(
          400,
          -32600,
          `Invalid Request: a batch may hold at most ${maxMessages} messages; send ${body.length} as several requests.`,
        );
      }
      const calls = messages.filter((m) => methodOf(m) === "tools/call").length;
      if (calls > maxToolCalls) {
        return jsonRpcError(
          400,
          -32600,
          `Invalid Request: a batch may hold at most ${maxToolCalls} tool calls (this one has ${calls}); send them in smaller batches.`,
        );
      }
    }
    const initialize = messages.some((m) => methodOf(m) === "initialize");
    if (initialize && messages.length > 1) {
      return jsonRpcError(400, -32600, "Invalid Request: initialize must be sent alone, not in a batch.");
    }
    c.set("body", body);
    c.set("initialize", initialize);
    return next();
  };
}

const methodOf = (message: unknown): unknown =>
  typeof message === "object" && message !== null ? (message as { method?: unknown }).method : undefined;
