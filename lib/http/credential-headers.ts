// The X-Nectar-* headers that carry one request's DXP credentials. Only these do: the
// MCP-level Authorization header is never read here and never forwarded upstream.
import { HEADER_VALUE } from "../client/header-value.ts";
import type { PartialCredentials } from "../connection.ts";

export const CREDENTIAL_HEADERS = {
  url: "x-nectar-dxp-url",
  accessToken: "x-nectar-access-token",
  refreshToken: "x-nectar-refresh-token",
  tenant: "x-nectar-domain-name",
} as const;

/** Display names, for messages and docs. */
export const CREDENTIAL_HEADER_NAMES = {
  url: "X-Nectar-DXP-URL",
  accessToken: "X-Nectar-Access-Token",
  refreshToken: "X-Nectar-Refresh-Token",
  tenant: "X-Nectar-Domain-Name",
} as const;

const MAX_VALUE = 16 * 1024;

export class HeaderError extends Error {}

export function readCredentialHeaders(headers: Headers): PartialCredentials | undefined {
  const out: PartialCredentials = {};
  for (const [key, name] of Object.entries(CREDENTIAL_HEADERS) as [keyof typeof CREDENTIAL_HEADERS, string][]) {
    const value = headers.get(name)?.trim();
    if (!value) continue;
    if (value.length > MAX_VALUE || !HEADER_VALUE.test(value)) {
      throw new HeaderError(`${CREDENTIAL_HEADER_NAMES[key]} must be at most 16 KiB of visible ASCII characters.`);
    }
    out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}
