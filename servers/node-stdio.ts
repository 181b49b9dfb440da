// The stdio shell: one MCP session per process (Claude Desktop, Claude Code, Inspector).
// Both eras: the SDK's serveStdio lets the client's opening pick 2025 (initialize) or
// 2026-07-28 (server/discover, per-request _meta), and pins one server for the connection.
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { clientOptionsFrom, effectiveUrlPolicy, type ServerConfig } from "../lib/config.ts";
import type { PartialCredentials } from "../lib/connection.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { createServer, OPERATOR_URL_POLICY } from "../lib/server/create-server.ts";
import { newSessionState } from "../lib/session.ts";
import { configuredTools } from "../lib/server/configured-tools.ts";
import { tokensOf } from "../lib/logger.ts";
import { getHeapStatistics } from "node:v8";
import { bodyLimitForHeap } from "../lib/client/answer.ts";
import { guardedFetch } from "./guarded-fetch.ts";
import { stderrLogger } from "./stderr-logger.ts";

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
  const handle = serveStdio(() =>
    createServer({ session, environment, environmentSource: demo ? "demo" : "environment", clients, urlPolicy, log, tools }),
  );

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await handle.close().catch(() => {});
    await onClose?.();
    process.exit(0);
  };
  process.stdin.on("end", close);
  process.on("SIGINT", close);
  process.on("SIGTERM", close);

  log.info(`nectar-dxp-mcp on stdio${demo ? ` with the embedded DXP at ${demo.url}` : environment?.url ? ` for ${environment.url}` : " (not configured yet: see get_connection_status)"}`);
}
