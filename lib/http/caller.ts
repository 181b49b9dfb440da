// Who is calling, as far as HTTP can tell: the request's X-Nectar-* credential headers,
// the tools it narrowed itself to, and the owner key its sessions are bound to (a keyed
// hash of the credential headers, or of "no headers"; never the raw tokens).
import type { MiddlewareHandler } from "hono";
import { normalizeUrl } from "../client/credentials.ts";
import type { PartialCredentials } from "../connection.ts";
import { messageFor } from "../errors.ts";
import type { CredentialKeys } from "../store/credential-keys.ts";
import type { Tool } from "../tool-kit/define.ts";
import { parseToolSelection, selectTools } from "../tool-set/select-tools.ts";
import { type HeaderError, readCredentialHeaders } from "./credential-headers.ts";
import { jsonRpcError } from "./json-rpc.ts";

export interface CallerVariables {
  credentials: PartialCredentials | undefined;
  tools: readonly Tool[];
  /** The key this caller's sessions are bound to. */
  owner: string;
  /** No credential headers: every such caller shares one owner key (so their sessions keep nothing). */
  anonymous: boolean;
}

export function readCaller(
  offered: readonly Tool[],
  keys: CredentialKeys,
): MiddlewareHandler<{ Variables: CallerVariables }> {
  return async (c, next) => {
    try {
      const credentials = readCredentialHeaders(c.req.raw.headers);
      c.set("credentials", credentials);
      c.set("tools", toolsForRequest(c.req.raw.headers, offered));
      c.set("owner", await sessionOwner(keys, credentials));
      c.set("anonymous", !hasCredentialHeaders(credentials));
    } catch (error) {
      return jsonRpcError(400, -32600, messageFor(error, (error as HeaderError).message));
    }
    return next();
  };
}

/** The owner key of a caller's sessions: the credential headers (URL and tokens), or none. */
export function sessionOwner(keys: CredentialKeys, credentials: PartialCredentials | undefined): Promise<string> {
  if (!hasCredentialHeaders(credentials)) return keys.derive("session-owner:no-headers");
  return keys.derive(
    "session-owner",
    credentials.url ? normalizeUrl(credentials.url) : "",
    credentials.accessToken,
    credentials.refreshToken,
  );
}

/** A DXP URL or a token in the headers: something that tells this caller from another. */
const hasCredentialHeaders = (credentials: PartialCredentials | undefined): credentials is PartialCredentials =>
  Boolean(credentials?.url || credentials?.accessToken || credentials?.refreshToken);

/** X-MCP-Tools / X-MCP-Readonly narrow this request's tools (as GitHub's and Grafana's servers do). */
function toolsForRequest(headers: Headers, offered: readonly Tool[]): readonly Tool[] {
  const include = headers.get("x-mcp-tools") ?? undefined;
  const readOnly = headers.get("x-mcp-readonly") ?? undefined;
  return include || readOnly ? selectTools(parseToolSelection(include, readOnly), offered) : offered;
}
