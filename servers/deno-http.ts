// The Deno HTTP shell: the same app as servers/node-http.ts, under Deno.serve.
//   deno run --allow-net --allow-env --allow-read servers/deno-http.ts [--demo]
// With NECTAR_DENO_KV (and --unstable-kv) several processes or Deno Deploy isolates share
// their state on Deno KV: see docs/deno.md.
import { readConfig } from "../lib/config.ts";
import type { PartialCredentials } from "../lib/connection.ts";
import { ConfigurationError, exitFor } from "../lib/errors.ts";
import { connectHints, httpAppFromConfig, localUrl } from "../lib/http/from-config.ts";
import { redactingLogger, tokensOf } from "../lib/logger.ts";
import { demoCredentials } from "../lib/simulator/demo.ts";
import { createSimulator } from "../lib/simulator/index.ts";
import { type KvLike, whileBusy } from "../lib/store/kv-client.ts";
import { kvStores } from "../lib/store/kv-stores.ts";

declare const Deno: {
  args: string[];
  env: { toObject(): Record<string, string> };
  stderr: { writeSync(bytes: Uint8Array): number };
  serve(
    options: {
      hostname: string;
      port: number;
      signal?: AbortSignal;
      onListen?: (addr: { hostname: string; port: number }) => void;
    },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; addr: { port: number } };
  addSignalListener(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
  exit(code: number): never;
  readTextFileSync(path: string): string;
  /** Present under --unstable-kv and on Deno Deploy. No path: Deploy's database (or Deno's default local one). */
  openKv?: (path?: string) => Promise<KvLike>;
};

const encoder = new TextEncoder();
const write = (line: string) => Deno.stderr.writeSync(encoder.encode(`${line}\n`));

try {
  // NECTAR_DXP_ENDPOINTS names a file: the shell reads it (lib/ reads none); --allow-read for it.
  const config = readConfig(
    { ...Deno.env.toObject(), MCP_TRANSPORT: "http" },
    { readFile: (path) => Deno.readTextFileSync(path) },
  );
  // State in memory (one process), or on Deno KV (NECTAR_DENO_KV) for several: docs/deno.md.
  if (config.redisUrl) {
    throw new ConfigurationError(
      "NECTAR_REDIS_URL is not supported by the Deno shell: it keeps its state in memory (one process), or on Deno KV with NECTAR_DENO_KV.",
      "Unset it; share state between Deno processes or Deploy isolates with NECTAR_DENO_KV, or run several replicas with the Node server.",
    );
  }
  const stores = config.denoKv
    ? kvStores(await openKv(config.denoKv), {
        secret: config.storeSecret!,
        sessionIdleMs: config.sessionIdleMs,
        renewalLockMs: config.timeoutMs + 10_000,
      })
    : undefined;
  let demo: PartialCredentials | undefined;
  if (Deno.args.includes("--demo")) {
    const simulator = createSimulator();
    const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, simulator.fetch);
    demo = demoCredentials(simulator, `http://127.0.0.1:${upstream.addr.port}`);
  }
  const environment = demo ?? config.credentials;
  const log = redactingLogger(write, () => tokensOf(environment), config.debug);
  // No guardFetch here: Deno offers no hook into its resolver, so addresses a client-named
  // DXP host resolves to are not checked at connect time (the Node shell does). The URL
  // policy still applies, and `--allow-net=<listener>,<DXP host>` keeps every other address
  // out of reach; the README's Deno and Security sections say so.
  const http = httpAppFromConfig({ config, demo, log, stores });
  const stop = new AbortController();
  const server = Deno.serve(
    { hostname: config.host, port: config.port, signal: stop.signal, onListen() {} },
    http.app.fetch,
  );
  if (config.denoKv)
    log.info(`shared store: Deno KV (${config.denoKv === "default" ? "Deno.openKv()" : config.denoKv})`);
  log.info(
    `nectar-dxp-mcp (Deno) listening on ${config.host}:${server.addr.port}${demo ? " with the embedded DXP (--demo)" : ""}`,
  );
  for (const line of connectHints(localUrl(config.host, server.addr.port))) log.info(line);
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

/** NECTAR_DENO_KV: "default" is Deno.openKv() (Deno Deploy's shared database), anything else a path or KV Connect URL. */
async function openKv(where: string): Promise<KvLike> {
  const open = Deno.openKv;
  if (typeof open !== "function") {
    throw new ConfigurationError(
      "NECTAR_DENO_KV needs Deno KV, which this Deno run does not offer.",
      "Add --unstable-kv to `deno run` (Deno Deploy has it built in), or unset NECTAR_DENO_KV.",
    );
  }
  try {
    // Two processes opening one local file at once: the second waits instead of failing.
    return await whileBusy(() => open(where === "default" ? undefined : where));
  } catch (error) {
    throw new ConfigurationError(
      `NECTAR_DENO_KV could not be opened (${error instanceof Error ? error.message : String(error)}).`,
      'Give a writable file path with --allow-read and --allow-write for it, or "default" on Deno Deploy.',
    );
  }
}
