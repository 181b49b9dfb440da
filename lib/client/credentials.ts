// Who the client talks to and as whom. Always a value handed in by the caller (the
// shell's env, a request's headers, or configure_connection), never read from globals,
// so two users in one process cannot see each other's credentials.

export interface DxpCredentials {
  /** Instance base URL, e.g. https://demo.us.nectar.services */
  readonly url: string;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** Default tenant (NECTAR_DOMAIN_NAME / X-Nectar-Domain-Name). */
  readonly tenant?: string;
}

/** A stable key for "the same credentials", used to keep refreshed tokens and caches per user. */
export async function credentialKey(credentials: DxpCredentials): Promise<string> {
  const material = [credentials.url, credentials.accessToken ?? "", credentials.refreshToken ?? ""].join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
