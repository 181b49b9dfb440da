// --demo: the embedded DXP simulator on a loopback port, and credentials for it.
import type { PartialCredentials } from "../lib/connection.ts";
import { demoCredentials } from "../lib/simulator/demo.ts";
import { startSimulator } from "./start-simulator.ts";

export interface Demo {
  credentials: PartialCredentials;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const running = await startSimulator({ port: 0, hostname: "127.0.0.1" });
  return { credentials: demoCredentials(running.simulator, running.url), close: running.close };
}
