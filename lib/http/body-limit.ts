// Refuse request bodies over the limit with 413, so that the client actually reads it.
// Hono's bodyLimit answers before reading a body whose Content-Length is too large; the
// server then closes a socket with unread data, the kernel resets it, and the client may
// lose the 413 itself. We read and discard such a body (up to a bound) first, so the
// answer arrives and the connection stays usable; past the bound we answer and close.
// (SDK v2's createMcpHonoApp / createMcpHandler also answer 413 past maxRequestBodySize, but
// without that: ours runs first, and the SDK handler is given the same bound.)
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { jsonRpcError } from "./json-rpc.ts";

/** Most bytes we read only to throw away, for a clean 413. */
const DISCARD_LIMIT = 16 * 1024 * 1024;

export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = (close: boolean) =>
    jsonRpcError(413, -32000, `Request body larger than ${maxBytes} bytes.`, close ? { connection: "close" } : {});
  // Bodies without Content-Length (chunked) are counted as they are read by Hono's middleware.
  const streamed = honoBodyLimit({ maxSize: maxBytes, onError: () => tooLarge(true) });
  return async (c, next) => {
    const declared = Number(c.req.header("content-length"));
    if (!(declared > maxBytes)) return streamed(c, next);
    if (declared > DISCARD_LIMIT || !c.req.raw.body) return tooLarge(true);
    const reader = c.req.raw.body.getReader();
    for (let read = 0; ; ) {
      const { done, value } = await reader.read();
      if (done) return tooLarge(false);
      read += value.byteLength;
      if (read > DISCARD_LIMIT) {
        await reader.cancel();
        return tooLarge(true);
      }
    }
  };
}
