// Shared pieces of the reliability suite (test/reliability/*.test.ts, run by
// `npm run test:reliability`): the size knob, the results each file leaves for the final
// report, an upstream that serves the simulator over node:http (and can drop sockets),
// in-process MCP servers, and built-server children with /proc readings.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ENDPOINTS } from "../../lib/client/endpoints.ts";
import type { PartialCredentials } from "../../lib/connection.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { createServer } from "../../lib/server/create-server.ts";
import { newSessionState, type SessionState } from "../../lib/session.ts";
import type { Simulator } from "../../lib/simulator/index.ts";
import type { ToolName } from "../../lib/tools/index.ts";
import { LOOPBACK_GUARD } from "../helpers/loopback-guard.ts";
import { rssBytes } from "../helpers/proc.ts";
import { sleep, within } from "../helpers/wait.ts";

// ---------------------------------------------------------------- size knob

export type Scale = "ci" | "full";
export const SCALE: Scale = process.env.RELIABILITY_SCALE === "full" ? "full" : "ci";
/** The ci value or the full one. */
export const sized = <T>(ci: T, full: T): T => (SCALE === "full" ? full : ci);

export const CLI = "dist/servers/cli.js";

/** The tools that read the DXP, from the registry (test/helpers/registry.ts). */
export { DXP_TOOLS as DATA_TOOLS, reportsFailures } from "../helpers/registry.ts";
export type DataTool = ToolName;

export const REFRESH_PATH = `/${ENDPOINTS.tokenRefresh.path}`;

// ---------------------------------------------------------------- results for the report

/**
 * Every file of one `tsx --test` run is a child of the same test-runner process, so the
 * runner's pid names the run. Each file marks itself started, then leaves its figures.
 */
export const RESULTS_DIR = join(tmpdir(), `nectar-reliability-${process.ppid}`);

export interface FileResult {
  file: string;
  /** Short lines for the final report. */
  lines: string[];
  casesTried?: number;
  callsServed?: number;
  leaksFound?: number;
  tokensChecked?: number;
  bytesScanned?: number;
  memoryDrift?: string;
}

export function markStarted(file: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${file}.started`), String(process.pid));
}

export function saveResult(result: FileResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${result.file}.json`), JSON.stringify(result, null, 2));
}

export function readResults(): { started: Map<string, number>; results: Map<string, FileResult> } {
  const started = new Map<string, number>();
  const results = new Map<string, FileResult>();
  if (!existsSync(RESULTS_DIR)) return { started, results };
  for (const name of readdirSync(RESULTS_DIR)) {
    const path = join(RESULTS_DIR, name);
    if (name.endsWith(".started")) started.set(name.slice(0, -".started".length), Number(readFileSync(path, "utf8")));
    if (name.endsWith(".json"))
      results.set(name.slice(0, -".json".length), JSON.parse(readFileSync(path, "utf8")) as FileResult);
  }
  return { started, results };
}

// ---------------------------------------------------------------- small helpers

export { textOf } from "../helpers/common.ts";

/** Stack frames, source positions or internal module names: never in what a model reads. */
export const STACK_TRACE = /\n\s*at\s|\bat\s+\S+\s+\(|\.(?:ts|js|mjs|cjs):\d+|node:internal|node_modules/;

export { pool, sleep, within } from "../helpers/wait.ts";

/** Occurrences of any secret in any text: [secret index, text label] pairs. */
export function findLeaks(
  secrets: Iterable<string>,
  texts: Iterable<readonly [label: string, text: string]>,
): { secret: string; where: string }[] {
  const list = [...new Set(secrets)].filter((s) => s.length >= 8);
  const leaks: { secret: string; where: string }[] = [];
  for (const [label, text] of texts) {
    for (const secret of list)
      if (text.includes(secret)) leaks.push({ secret: `${secret.slice(0, 6)}…`, where: label });
  }
  return leaks;
}

/** A plain-text table: a header row and rows, columns padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------- the upstream

export interface RawRequest {
  method: string;
  /** The request target exactly as it arrived, e.g. /dapi/user/search?tenant=acme&q=x */
  target: string;
  /** Header names (lower case) and values exactly as they arrived. */
  headers: [string, string][];
}

/** How many requests a switch applies to: the next N, or all until cleared. */
export type Times = number | "all";

export interface Upstream {
  url: string;
  sim: Simulator;
  /** Drop the socket without answering. */
  reset: Times;
  /** Send the headers (with the full Content-Length) and half the body, then drop the socket. */
  dropMidBody: Times;
  /** Send the headers and the first bytes of the body, then nothing (the socket stays open). */
  stallBody: Times;
  /** How many requests each switch hit. */
  readonly hits: { reset: number; dropMidBody: number; stallBody: number };
  /** Requests received and not yet answered or abandoned. */
  readonly inFlight: number;
  /** Every request as it arrived on the wire. */
  raw: RawRequest[];
  /** Every token the simulator handed out through the refresh endpoint. */
  readonly rotated: Set<string>;
  /** Switches off, stalled answers ended. */
  clear(): void;
  /** Resolve once no request has been in flight for `quietMs` (or `maxMs` passed): orphaned retries are over. */
  quiet(quietMs?: number, maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Switch = "reset" | "dropMidBody" | "stallBody";

/**
 * The simulator served through node:http: a real upstream whose sockets can be dropped
 * or stalled (the simulator's own switches cannot do that), with wire-level request
 * targets and headers recorded.
 */
export async function startUpstream(sim: Simulator): Promise<Upstream> {
  const switches: Record<Switch, Times> = { reset: 0, dropMidBody: 0, stallBody: 0 };
  const hits = { reset: 0, dropMidBody: 0, stallBody: 0 };
  const stalled = new Set<ServerResponse>();
  let raw: RawRequest[] = [];
  const rotated = new Set<string>();
  let inFlight = 0;
  let lastActivity = Date.now();
  const take = (name: Switch): boolean => {
    const value = switches[name];
    if (value === 0) return false;
    if (value !== "all") switches[name] = value - 1;
    hits[name] += 1;
    return true;
  };
  const server = createNodeServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    lastActivity = Date.now();
    let counted = true;
    const done = () => {
      if (counted) {
        counted = false;
        inFlight -= 1;
        lastActivity = Date.now();
      }
    };
    res.on("close", done);
    res.on("error", () => {});
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
    raw.push({ method: req.method ?? "", target: req.url ?? "", headers });
    if (take("reset")) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
        const h = new Headers();
        for (const [name, value] of headers) if (name !== "host" && name !== "connection") h.append(name, value);
        const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
        const response = await sim.fetch(new Request(url, { method: req.method, headers: h, body }));
        const payload = Buffer.from(await response.arrayBuffer());
        if (new URL(url).pathname === REFRESH_PATH && response.ok) {
          const grant = JSON.parse(payload.toString("utf8")) as { accessToken?: string; refreshToken?: string };
          if (grant.accessToken) rotated.add(grant.accessToken);
          if (grant.refreshToken) rotated.add(grant.refreshToken);
        }
        if (res.destroyed) return;
        const head = { ...Object.fromEntries(response.headers), "content-length": String(payload.length) };
        if (take("dropMidBody")) {
          res.writeHead(response.status, head);
          res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
          return;
        }
        if (take("stallBody")) {
          res.writeHead(response.status, head);
          res.write(payload.subarray(0, Math.min(16, payload.length - 1)));
          stalled.add(res);
          return;
        }
        res.writeHead(response.status, head);
        res.end(payload);
      })().catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const upstream: Upstream = {
    url: `http://127.0.0.1:${port}`,
    sim,
    get reset() {
      return switches.reset;
    },
    set reset(v: Times) {
      switches.reset = v;
    },
    get dropMidBody() {
      return switches.dropMidBody;
    },
    set dropMidBody(v: Times) {
      switches.dropMidBody = v;
    },
    get stallBody() {
      return switches.stallBody;
    },
    set stallBody(v: Times) {
      switches.stallBody = v;
    },
    hits,
    get inFlight() {
      return inFlight;
    },
    get raw() {
      return raw;
    },
    set raw(list: RawRequest[]) {
      raw = list;
    },
    rotated,
    clear() {
      switches.reset = switches.dropMidBody = switches.stallBody = 0;
      for (const res of stalled) res.socket?.destroy();
      stalled.clear();
    },
    async quiet(quietMs = 500, maxMs = 6000) {
      const deadline = Date.now() + maxMs;
      while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastActivity < quietMs))
        await sleep(Math.min(25, Math.ceil(quietMs / 5)));
    },
    close: () =>
      new Promise<void>((done) => {
        upstream.clear();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  return upstream;
}

// ---------------------------------------------------------------- an in-process MCP server

export interface InProcess {
  client: Client;
  session: SessionState;
  call(name: string, args?: unknown, timeoutMs?: number): Promise<CallToolResult>;
  close(): Promise<void>;
}

const LOOPBACK = { allowLoopbackHttp: true };

/** Our MCP server, connected in memory to an SDK client, its DXP at `environment.url`. */
export async function inProcessServer(options: {
  environment?: PartialCredentials;
  timeoutMs?: number;
  retryDelayMs?: number;
  /** Extra client-pool options (e.g. the response cache). */
  pool?: Record<string, unknown>;
  log?: (line: string) => void;
}): Promise<InProcess> {
  const session = newSessionState();
  const server = createServer({
    session,
    environment: options.environment,
    urlPolicy: LOOPBACK,
    clients: new ClientPool({
      urlPolicy: LOOPBACK,
      timeoutMs: options.timeoutMs ?? 5000,
      retryDelayMs: options.retryDelayMs ?? 100,
      log: options.log,
      ...options.pool,
    }),
  });
  const client = new Client({ name: "reliability", version: "1.0.0" });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  await client.listTools(); // the client then checks structuredContent against each output schema
  return {
    client,
    session,
    call: async (name, args = {}, timeoutMs = 15_000) =>
      (await within(
        timeoutMs + 1000,
        `tools/call ${name}`,
        client.callTool({ name, arguments: args as Record<string, unknown> }, undefined, { timeout: timeoutMs }),
      )) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

// ---------------------------------------------------------------- built-server children

/**
 * Preloaded into every child: connections to anything but loopback fail (and say so on
 * stderr), and SIGUSR2 prints the child's active handles (timers, sockets) on stderr.
 */
const PRELOAD = `${LOOPBACK_GUARD}
process.on("SIGUSR2", () => {
  const counts = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] || 0) + 1;
  process.stderr.write("ACTIVE-RESOURCES " + JSON.stringify(counts) + "\\n");
});
`;

let preloadFile: string | undefined;
export function preload(): string {
  if (!preloadFile) {
    const dir = join(tmpdir(), `nectar-reliability-preload-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    preloadFile = join(dir, "preload.cjs");
    writeFileSync(preloadFile, PRELOAD);
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return preloadFile;
}

export interface HttpChild {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
  /** Active handles by type, read through SIGUSR2. */
  resources(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const START_MS = 20_000;

/** `node dist/servers/cli.js --http` on 127.0.0.1 and a free port; resolves once it listens. */
export function startHttpChild(env: Record<string, string>): Promise<HttpChild> {
  assert.ok(existsSync(CLI), `${CLI} exists: run npm run build first`);
  const child = spawn(process.execPath, ["--require", preload(), CLI, "--http"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      FASTMCP_HOST: "127.0.0.1",
      FASTMCP_PORT: "0",
      NECTAR_ALLOW_LOOPBACK_HTTP: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  child.stdout?.resume();
  const resources = async () => {
    const mark = stderr.length;
    child.kill("SIGUSR2");
    for (let i = 0; i < 100; i++) {
      const m = /ACTIVE-RESOURCES (\{.*\})\n/.exec(stderr.slice(mark));
      if (m) return JSON.parse(m[1]!) as Record<string, number>;
      await sleep(20);
    }
    throw new Error("the child did not report its active resources");
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the HTTP server printed no port within ${START_MS} ms; stderr:\n${stderr}`));
    }, START_MS);
    child.stderr?.on("data", (chunk: Buffer) => {
      const before = stderr.length;
      stderr += chunk.toString();
      if (before > 0 && /listening on/.test(stderr.slice(0, before))) return;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          pid: child.pid!,
          process: child,
          stderr: () => stderr,
          exited,
          resources,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            await within(15_000, "the HTTP server exiting", exited).catch(() => child.kill("SIGKILL"));
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP server exited (${code}) before listening; stderr:\n${stderr}`));
    });
  });
}

/** Resident set size of a process, in KiB (/proc/<pid>/status VmRSS). */
export function rssKiB(pid: number): number {
  const bytes = rssBytes(pid);
  assert.ok(Number.isFinite(bytes), "VmRSS in /proc/<pid>/status");
  return bytes / 1024;
}

export { cpuMs } from "../helpers/proc.ts";

/** Open file descriptors of a process that are sockets. */
export function socketCount(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) count += 1;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

export const MiB = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

// ---------------------------------------------------------------- raw HTTP over node:net

/** Send raw bytes to host:port; resolve with everything the server sent until it closed (or `ms` passed). */
export async function rawExchange(port: number, bytes: string | Buffer, ms = 5000): Promise<string> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, ms);
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
    });
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => socket.end(bytes));
  });
}

/** The status code of the first HTTP response in `raw`, or 0. */
export const rawStatus = (raw: string): number => Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1] ?? 0);
