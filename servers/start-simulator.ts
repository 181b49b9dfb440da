// Serve the DXP simulator on a loopback port under Node (the --demo mode, tests, and
// `npm run simulator` reuse this). Port 0 picks a free port.

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createSimulator, type Simulator, type SimulatorOptions } from "../lib/simulator/index.ts";

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:8787 (no trailing slash). */
  url: string;
  simulator: Simulator;
  close(): Promise<void>;
}

export function startSimulator(
  options: SimulatorOptions & { port?: number; hostname?: string } = {},
): Promise<RunningSimulator> {
  const { port = 0, hostname = "127.0.0.1", ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: simulator.fetch, hostname, port }, (info: AddressInfo) => {
      server.off("error", reject);
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${info.port}`,
        simulator,
        close: () =>
          new Promise<void>((done) => {
            // Drop keep-alive sockets so the process can exit.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
  });
}
