// Calls in flight and the shutdown drain: every /mcp request counts while it runs, a
// streamed answer until its last byte; while draining, new calls get 503 and /readyz says
// so. The HTTP app (app.ts) wires these middlewares in; the shells call drain on SIGTERM.
import type { MiddlewareHandler } from "hono";
import { jsonRpcError } from "./json-rpc.ts";

/** Calls in flight and whether the server is draining (shutdown). */
export interface Traffic {
  inFlight: number;
  draining: boolean;
}

export const newTraffic = (): Traffic => ({ inFlight: 0, draining: false });

/** Stop taking calls and wait (bounded) for those in flight; true when all finished. */
export async function drain(traffic: Traffic, timeoutMs: number): Promise<boolean> {
  traffic.draining = true;
  const deadline = Date.now() + timeoutMs;
  while (traffic.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return traffic.inFlight === 0;
}

export function countInFlight(traffic: Traffic): MiddlewareHandler {
  return async (_c, next) => {
    traffic.inFlight += 1;
    try {
      await next();
    } finally {
      traffic.inFlight -= 1;
    }
  };
}

export function refuseWhileDraining(traffic: Traffic): MiddlewareHandler {
  return async (_c, next) => {
    if (traffic.draining)
      return jsonRpcError(503, -32000, "Server is shutting down; retry on another instance.", { "retry-after": "1" });
    return next();
  };
}

/** A streamed answer stays in flight (for drain) until its last byte; `done` runs when the answer is complete. */
export function tracked(traffic: Traffic, response: Response, done: () => void): Response {
  if (!response.headers.get("content-type")?.includes("text/event-stream")) {
    done();
    return response;
  }
  traffic.inFlight += 1;
  return untilStreamEnds(response, () => {
    traffic.inFlight -= 1;
    done();
  });
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
