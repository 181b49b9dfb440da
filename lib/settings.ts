// Where each connection setting is set, said once: every hint that tells a user how to fix
// a setting quotes these (the environment, the HTTP header, or configure_connection).

export const SET_URL = "NECTAR_DXP_URL (or the X-Nectar-DXP-URL header, or configure_connection)";
export const SET_ACCESS_TOKEN = "NECTAR_ACCESS_TOKEN (or the X-Nectar-Access-Token header, or configure_connection)";
export const SET_TOKENS =
  "NECTAR_ACCESS_TOKEN and NECTAR_REFRESH_TOKEN (or the X-Nectar-Access-Token / X-Nectar-Refresh-Token headers, or configure_connection)";
export const SET_TENANT =
  "NECTAR_DOMAIN_NAME (or the X-Nectar-Domain-Name header, or configure_connection's domainName)";

/** How to configure, said once for every "not configured" error. */
export const HOW_TO_CONFIGURE =
  "Configure it with the environment (NECTAR_DXP_URL, NECTAR_ACCESS_TOKEN, NECTAR_REFRESH_TOKEN, NECTAR_DOMAIN_NAME), " +
  "the HTTP headers (X-Nectar-DXP-URL, X-Nectar-Access-Token, X-Nectar-Refresh-Token, X-Nectar-Domain-Name), " +
  "or the configure_connection tool; or start the server with --demo to use the embedded DXP.";
