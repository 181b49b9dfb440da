// Mcp-Session-Id: a session belongs to the caller that created it. A request presenting
// the id with other credential headers gets the same 404 as an unknown id, and learns
// nothing about the session.
import type { MiddlewareHandler } from "hono";
import { newSessionState, type SessionState } from "../session.ts";
import type { SessionStore } from "../session-store.ts";
import type { CallerVariables } from "./caller.ts";
import { jsonRpcError } from "./json-rpc.ts";
import type { BodyVariables } from "./json-rpc-body.ts";

export const SESSION_HEADER = "mcp-session-id";

export interface SessionVariables {
  state: SessionState;
  /** The session this request belongs to, if any. */
  sessionId: string | undefined;
  /** Set when this request creates the session (initialize). */
  newSessionId: string | undefined;
}

const notFound = () => jsonRpcError(404, -32001, "Session not found or expired: initialize a new session.");

export function resolveSession(
  sessions: SessionStore,
): MiddlewareHandler<{ Variables: SessionVariables & CallerVariables & BodyVariables }> {
  return async (c, next) => {
    const owner = c.get("owner");
    const presented = c.req.header(SESSION_HEADER);
    if (c.get("initialize")) {
      const id = crypto.randomUUID();
      const created = await sessions.create(id, owner);
      if (!created.ok) {
        return jsonRpcError(503, -32000, "Too many live sessions on this server; retry in a minute.", {
          "retry-after": "60",
        });
      }
      c.set("state", created.state);
      c.set("sessionId", id);
      c.set("newSessionId", id);
    } else if (presented) {
      const state = await sessions.get(presented, owner);
      if (!state) return notFound();
      c.set("state", state);
      c.set("sessionId", presented);
    } else {
      c.set("state", newSessionState()); // a client without sessions: nothing is remembered
      c.set("sessionId", undefined);
    }
    await next();
    const id = c.get("sessionId");
    if (!id) return undefined;
    // A session whose initialize the SDK refused never existed.
    if (c.get("newSessionId") && !c.res.ok) await sessions.delete(id, owner);
    else await sessions.save(id, owner, c.get("state"));
    return undefined;
  };
}

export function deleteSession(sessions: SessionStore): MiddlewareHandler<{ Variables: CallerVariables }> {
  return async (c) => {
    const id = c.req.header(SESSION_HEADER);
    if (!id) return jsonRpcError(400, -32000, "Mcp-Session-Id header required.");
    return (await sessions.delete(id, c.get("owner")))
      ? c.body(null, 204)
      : jsonRpcError(404, -32001, "Session not found.");
  };
}
