// Who the client talks to and as whom. Always a value handed in by the caller (the
// shell's env, a request's headers, or configure_connection), never read from globals,
// so two users in one process cannot see each other's credentials.
import { ConfigurationError } from "../errors.ts";
import { canonicalDxpUrl } from "../security/dxp-url.ts";
import { SET_TENANT } from "../settings.ts";

export interface DxpCredentials {
  /** Instance base URL, e.g. https://demo.us.nectar.services */
  readonly url: string;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** Default tenant (NECTAR_DOMAIN_NAME / X-Nectar-Domain-Name). */
  readonly tenant?: string;
}

/**
 * One spelling per DXP base URL (lib/security/dxp-url.ts owns it): credentials are keyed
 * by it (with their tokens) so that `…/`, `…/?s=1`, `HTTPS://…`, `host.` and `:443` are
 * one credential: one client, one renewal.
 */
export const normalizeUrl = canonicalDxpUrl;

/** Every data call names a tenant; the caller resolves defaults (argument, then configuration). */
export function requireTenant(tenant: string | undefined): string {
  if (!tenant) {
    throw new ConfigurationError(
      "No tenant is set.",
      `Pass \`tenant\`, or set ${SET_TENANT}; get_tenant_names lists the tenants this token may see.`,
    );
  }
  return tenant;
}
