// The stdio shell: one MCP session per process (Claude Desktop, Claude Code, Inspector).
// Both eras: the SDK's serveStdio lets the client's opening pick 2025 (initialize) or
// 2026-07-28 (server/discover, per-request _meta), and pins one server for the connection.

import { getHeapStatistics } from "node:v8";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import { bodyLimitForHeap } from "../lib/client/answer.ts";
import { clientOptionsFrom, effectiveUrlPolicy, type ServerConfig } from "../lib/config.ts";
import type { PartialCredentials } from "../lib/connection.ts";
import { tokensOf } from "../lib/logger.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { configuredTools } from "../lib/server/configured-tools.ts";
import { createServer, OPERATOR_URL_POLICY } from "../lib/server/create-server.ts";
import { newSessionState } from "../lib/session.ts";
import { guardedFetch } from "./guarded-fetch.ts";
import { stderrLogger } from "./stderr-logger.ts";

/** The longest JSON-RPC line read from the client (the SDK's default; named here so the message can say it). */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

export interface StdioOptions {
  config: ServerConfig;
  /** Credentials of the embedded DXP when running --demo. */
  demo?: PartialCredentials;
  onClose?: () => Promise<void>;
}

export async function runStdio({ config: given, demo, onClose }: StdioOptions): Promise<void> {
  // DXP answers are bounded by this process's heap (a 192 MB pod gets 3 MiB, not 10).
  const config = { ...given, maxBodyBytes: bodyLimitForHeap(getHeapStatistics().heap_size_limit) };
  const session = newSessionState();
  const environment = demo ?? config.credentials;
  const log = stderrLogger(config.debug, () => tokensOf(environment, session.credentials));
  const urlPolicy = effectiveUrlPolicy(config, { loopbackHttp: true });
  const clients = new ClientPool({
    urlPolicy: OPERATOR_URL_POLICY,
    // URLs named with configure_connection are dialled only at addresses the policy accepts.
    clientNamedFetch: guardedFetch({ policy: urlPolicy }),
    ...clientOptionsFrom(config, (line) => log.debug(`upstream ${line}`)),
  });
  const tools = configuredTools(config.toolSelection);
  // Called once for the connection (and once more for a discovery probe it may discard):
  // every instance shares this process's one session.
  const handle = serveStdio(
    () =>
      createServer({
        session,
        environment,
        environmentSource: demo ? "demo" : "environment",
        clients,
        urlPolicy,
        log,
        tools,
      }),
    {
      transport: new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: MAX_LINE_BYTES }),
      // A line past the limit ends the connection (the SDK closes its transport): say why and exit non-zero, not 0 in silence.
      onerror: (error) => {
        if (!/ReadBuffer exceeded/.test(error.message)) return log.warn(`stdio: ${error.message}`);
        log.error(
          `stdio: the client sent a message over ${MAX_LINE_BYTES / 1048576} MiB (one JSON-RPC line); this server reads none that large and stops.`,
        );
        void exit(1);
      },
    },
  );

  let closing = false;
  const exit = async (code: number) => {
    if (closing) return;
    closing = true;
    await handle.close().catch(() => {});
    await onClose?.();
    process.exit(code);
  };
  const close = () => exit(0);
  process.stdin.on("end", close);
  process.on("SIGINT", close);
  process.on("SIGTERM", close);

  log.info(
    `nectar-dxp-mcp on stdio${demo ? ` with the embedded DXP at ${demo.url}` : environment?.url ? ` for ${environment.url}` : " (not configured yet: see get_connection_status)"}`,
  );
}
