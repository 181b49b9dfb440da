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

/**
 * A key for "the same credentials", used to keep renewed tokens and caches per user. It
 * stays in this process's memory (the pool that holds it also holds the clients, tokens
 * included), so plain text is enough; hashing it cost a tenth of an HTTP request's CPU.
 */
export function credentialKey(credentials: DxpCredentials): string {
  return JSON.stringify([credentials.url, credentials.accessToken ?? "", credentials.refreshToken ?? ""]);
}
