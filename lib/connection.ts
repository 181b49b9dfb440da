// Where a call's DXP credentials come from. Layers, highest first: what
// configure_connection set for this MCP session, the request's X-Nectar-* headers, the
// server's environment. Tokens are taken from one layer only: a URL named by a client
// never receives tokens that came from the server's environment.
import type { DxpCredentials } from "./client/credentials.ts";
import { jwtExpiresAt } from "./client/jwt.ts";
import { ConfigurationError } from "./errors.ts";
import { HOW_TO_CONFIGURE } from "./settings.ts";

export type ConnectionSource = "configure_connection" | "headers" | "environment" | "demo";

export type PartialCredentials = Partial<Record<keyof DxpCredentials, string | undefined>>;

export type ConnectionLayer = readonly [ConnectionSource, PartialCredentials | undefined];

export interface ResolvedConnection {
  source: ConnectionSource | "none";
  url?: string;
  /** Which layer named the URL: URLs named by a client are checked against the allow-list. */
  urlSource?: ConnectionSource;
  tenant?: string;
  accessToken?: string;
  refreshToken?: string;
  /** The URL is the operator's and this caller (over HTTP, without credentials of its own) is not shown it. */
  urlWithheld?: boolean;
}

export function resolveConnection(layers: readonly ConnectionLayer[]): ResolvedConnection {
  const present = layers.filter(([, values]) => values !== undefined) as [ConnectionSource, PartialCredentials][];
  const tokenLayer = present.findIndex(([, v]) => v.accessToken || v.refreshToken);
  const urlFrom = tokenLayer === -1 ? present : present.slice(tokenLayer);
  const urlLayer = urlFrom.find(([, v]) => v.url);
  const tenant = present.find(([, v]) => v.tenant)?.[1].tenant;
  if (tokenLayer === -1) {
    return { source: urlLayer?.[0] ?? "none", url: urlLayer?.[1].url, urlSource: urlLayer?.[0], tenant };
  }
  const [source, values] = present[tokenLayer]!;
  // A client that names a URL but brings no token gets no token: the operator's tokens are
  // never sent to a URL a client chose, and silently using the operator's URL instead
  // would answer a different question.
  const namer = present.findIndex(([, v]) => v.url);
  if (namer !== -1 && namer < tokenLayer && byClient(present[namer]![0]) && !byClient(source)) {
    const [clientSource, clientValues] = present[namer]!;
    return { source: clientSource, url: clientValues.url, urlSource: clientSource, tenant };
  }
  // A token layer's own URL wins; a lower layer's URL is used only when it names none.
  return {
    source,
    url: values.url || urlLayer?.[1].url,
    urlSource: values.url ? source : urlLayer?.[0],
    tenant,
    accessToken: values.accessToken || undefined,
    refreshToken: values.refreshToken || undefined,
  };
}

/** Complete credentials, or a ConfigurationError saying what is missing and how to set it. */
export function requireCredentials(connection: ResolvedConnection): DxpCredentials {
  if (!connection.url) throw new ConfigurationError("No DXP URL is configured.", HOW_TO_CONFIGURE);
  if (!connection.accessToken && !connection.refreshToken) {
    if (urlNamedByClient(connection)) {
      throw new ConfigurationError(
        "No DXP access or refresh token came with the DXP URL you named.",
        "Send X-Nectar-Access-Token (and X-Nectar-Refresh-Token) with X-Nectar-DXP-URL, or pass the tokens to configure_connection: the server's own tokens are never sent to a URL a client names.",
      );
    }
    throw new ConfigurationError("No DXP access or refresh token is configured.", HOW_TO_CONFIGURE);
  }
  return {
    url: connection.url,
    accessToken: connection.accessToken,
    refreshToken: connection.refreshToken,
    tenant: connection.tenant,
  };
}

const byClient = (source: ConnectionSource | undefined): boolean =>
  source === "headers" || source === "configure_connection";

/** True when the URL came from a client (headers, configure_connection) rather than the operator. */
export const urlNamedByClient = (connection: ResolvedConnection): boolean => byClient(connection.urlSource);

/** What may be shown about a connection: never the tokens themselves. */
export function describeConnection(connection: ResolvedConnection) {
  const expires = jwtExpiresAt(connection.accessToken);
  return {
    source: connection.source,
    url: connection.urlWithheld ? null : (connection.url ?? null),
    tenant: connection.tenant ?? null,
    accessToken: connection.accessToken ? "present" : "absent",
    refreshToken: connection.refreshToken ? "present" : "absent",
    accessTokenExpiresAt: expires ? expires.toISOString() : null,
  } as const;
}
