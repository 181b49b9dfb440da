// How a tool call gets its context: credentials resolved from this session, this
// request and the environment; a client from the shared pool; the URL policy for URLs a
// client names. Used by the MCP server and by the function-calling adapter alike.

import { normalizeUrl } from "../client/credentials.ts";
import {
  type ConnectionLayer,
  type PartialCredentials,
  requireCredentials,
  resolveConnection,
  urlNamedByClient,
} from "../connection.ts";
import { ConfigurationError } from "../errors.ts";
import { checkDxpUrl, type UrlPolicy } from "../security/url-policy.ts";
import type { SessionState } from "../session.ts";
import { type FilterHandles, localFilterHandles } from "../store/filter-handles.ts";
import type { ToolContext } from "../tool-kit/define.ts";
import { ClientPool } from "./client-pool.ts";

/** What the client itself enforces for every URL: HTTPS, or http only to loopback. */
export const OPERATOR_URL_POLICY: UrlPolicy = {
  allowedHosts: ["*"],
  allowPrivateAddresses: true,
  allowLoopbackHttp: true,
};

export interface ContextOptions {
  /** This MCP session's state (filter, configure_connection credentials). */
  session: SessionState;
  /** The server's own configuration (environment), or the embedded DXP's in demo mode. */
  environment?: PartialCredentials;
  environmentSource?: "environment" | "demo";
  /** This request's X-Nectar-* headers (HTTP only). */
  headers?: PartialCredentials;
  /** Shared across sessions so each credential keeps its renewed tokens and cache. */
  clients?: ClientPool;
  /**
   * Which DXP URLs a client may name (headers, configure_connection). The operator's own
   * environment URL is trusted as configured (HTTPS, or loopback http).
   */
  urlPolicy?: Partial<UrlPolicy>;
  /**
   * Over HTTP: a caller using the operator's environment credentials is not told the
   * operator's DXP URL (get_connection_status, configure_connection show it as withheld).
   */
  withholdOperatorUrl?: boolean;
  /** Saved filters of this caller (HTTP: the shared store under the caller's owner key). Default: private to this factory. */
  filters?: FilterHandles;
  /** Nothing in `session` outlives this request (HTTP without an MCP session). Default false. */
  stateless?: boolean;
  /** An HTTP caller without credential headers (see ToolContext.anonymous). Default false. */
  anonymous?: boolean;
  now?: () => number;
}

export function toolContextFactory(
  options: ContextOptions,
): (base: Pick<ToolContext, "signal" | "progress">) => ToolContext {
  const clients = options.clients ?? new ClientPool({ urlPolicy: OPERATOR_URL_POLICY });
  const now = options.now ?? Date.now;
  const filters = options.filters ?? localFilterHandles();
  const connection = () => {
    const resolved = resolveConnection([
      ["configure_connection", options.session.credentials],
      ["headers", options.headers],
      [options.environmentSource ?? "environment", options.environment],
    ] satisfies ConnectionLayer[]);
    return options.withholdOperatorUrl && resolved.urlSource === "environment"
      ? { ...resolved, urlWithheld: true }
      : resolved;
  };
  return (base) => ({
    ...base,
    session: options.session,
    filters,
    stateless: options.stateless ?? false,
    anonymous: options.anonymous ?? false,
    connection,
    client: () => {
      const current = connection();
      const credentials = requireCredentials(current);
      // Tokens set by configure_connection go only to the DXP they were set for, whatever
      // URL a later request names.
      const boundTo = options.session.credentialsUrl;
      if (
        current.source === "configure_connection" &&
        boundTo !== undefined &&
        normalizeUrl(credentials.url) !== boundTo
      ) {
        throw new ConfigurationError(
          "The tokens set with configure_connection belong to another DXP URL than the one this request names, so they are not sent.",
          "Call configure_connection with the url and its tokens together, or stop sending X-Nectar-DXP-URL in this session.",
        );
      }
      // Refused here, before any request leaves: the server must not fetch URLs a client picks freely.
      const namedByClient = urlNamedByClient(current);
      if (namedByClient) checkDxpUrl(credentials.url, options.urlPolicy);
      const operator = current.source === "environment" || current.source === "demo";
      return clients.get(credentials, { operator, namedByClient });
    },
    checkUrl: (url) => checkDxpUrl(url, options.urlPolicy),
    now,
  });
}
