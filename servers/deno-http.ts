// The Deno HTTP shell: the same app as servers/node-http.ts, under Deno.serve.
//   deno run --allow-net --allow-env --allow-read servers/deno-http.ts [--demo]
import { readConfig } from "../lib/config.ts";
import { ConfigurationError, exitFor } from "../lib/errors.ts";
import type { PartialCredentials } from "../lib/connection.ts";
import { connectHints, httpAppFromConfig } from "../lib/http/from-config.ts";
import { redactingLogger, tokensOf } from "../lib/logger.ts";
import { createSimulator } from "../lib/simulator/index.ts";

declare const Deno: {
  args: string[];
  env: { toObject(): Record<string, string> };
  stderr: { writeSync(bytes: Uint8Array): number };
  serve(
    options: { hostname: string; port: number; signal?: AbortSignal; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; addr: { port: number } };
  addSignalListener(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
  exit(code: number): never;
};

const encoder = new TextEncoder();
const write = (line: string) => Deno.stderr.writeSync(encoder.encode(`${line}\n`));

try {
  const config = readConfig({ ...Deno.env.toObject(), MCP_TRANSPORT: "http" });
  // One process, its state in memory (the same store interfaces as Node's): see the README's Deno section.
  if (config.redisUrl) {
    throw new ConfigurationError("NECTAR_REDIS_URL is not supported by the Deno shell: it keeps its state in memory (one process).", "Unset it, or run several replicas with the Node server.");
  }
  let demo: PartialCredentials | undefined;
  if (Deno.args.includes("--demo")) {
    const simulator = createSimulator();
    const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, simulator.fetch);
    demo = { url: `http://127.0.0.1:${upstream.addr.port}`, ...simulator.issueTokens(), tenant: "acme" };
  }
  const environment = demo ?? config.credentials;
  const log = redactingLogger(write, () => tokensOf(environment), config.debug);
  // No guardFetch here: Deno offers no hook into its resolver, so addresses a client-named
  // DXP host resolves to are not checked at connect time (the Node shell does). The URL
  // policy still applies, and `--allow-net=<listener>,<DXP host>` keeps every other address
  // out of reach; the README's Deno and Security sections say so.
  const http = httpAppFromConfig({ config, demo, log });
  const stop = new AbortController();
  const server = Deno.serve({ hostname: config.host, port: config.port, signal: stop.signal, onListen() {} }, http.app.fetch);
  const shown = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  log.info(`nectar-dxp-mcp (Deno) listening on ${config.host}:${server.addr.port}${demo ? " with the embedded DXP (--demo)" : ""}`);
  for (const line of connectHints(`http://${shown}:${server.addr.port}`)) log.info(line);
  const shutdown = async () => {
    log.info("SIGTERM: draining calls in flight");
    await http.drain(10_000);
    stop.abort();
    await server.finished;
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", shutdown);
  Deno.addSignalListener("SIGINT", shutdown);
} catch (error) {
  const { code, message } = exitFor(error);
  write(`nectar-dxp-mcp: ${message}`);
  Deno.exit(code);
}
