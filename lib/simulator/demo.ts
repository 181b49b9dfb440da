// --demo: the credentials a shell hands to callers of its embedded DXP. The Node shells
// (servers/demo.ts) and the Deno shell serve the simulator their own way and share this.
import type { Simulator } from "./index.ts";

export const DEMO_TENANT = "acme";

export interface DemoCredentials {
  url: string;
  accessToken: string;
  refreshToken: string;
  tenant: string;
}

/** Tokens for an hour on the simulator served at `url`, for the demo tenant. */
export function demoCredentials(simulator: Simulator, url: string): DemoCredentials {
  const tokens = simulator.issueTokens({ lifetimeSeconds: 3600 });
  return { url, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tenant: DEMO_TENANT };
}
