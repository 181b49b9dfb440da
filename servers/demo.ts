// --demo: the embedded DXP simulator on a loopback port, and credentials for it.
import type { PartialCredentials } from "../lib/connection.ts";
import { startSimulator } from "./start-simulator.ts";

export const DEMO_TENANT = "acme";

export interface Demo {
  credentials: PartialCredentials;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const running = await startSimulator({ port: 0, hostname: "127.0.0.1" });
  const tokens = running.simulator.issueTokens({ lifetimeSeconds: 3600 });
  return {
    credentials: { url: running.url, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tenant: DEMO_TENANT },
    close: running.close,
  };
}
