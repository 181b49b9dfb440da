// Section 2: tool calls per second over Streamable HTTP, at 1, 16 and 64 concurrent clients,
// beside the simulator's own throughput for the same upstream request at the same
// concurrency (the ceiling). Three processes: this one generates load, the MCP server and
// the simulator each run in their own child.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type ServerChild, type SimChild, startBuiltHttp, startHttpChild, type TokenGrant } from "./children.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { cpuMs, ownCpuMs, r, stats, within } from "./util.ts";

export interface ThroughputOptions {
  concurrency: readonly number[];
  durationMs: number;
  /** Untimed calls per client before each measured run. */
  warmupCalls: number;
}

const TOOL = "get_tenant_platforms";

export interface Run {
  concurrency: number;
  calls: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU ms per call of the server under test (MCP server or simulator). */
  serverCpuMsPerCall: number;
  /** CPU ms per call of the simulator when it is not the server under test. */
  simCpuMsPerCall?: number;
  loadGenCpuMsPerCall: number;
  upstreamPerCall?: number;
}

/** Run `workers` loops of `once` until the duration is over; latency of every call. */
export async function drive(workers: number, durationMs: number, once: (worker: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await once(w);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

export function summarize(
  concurrency: number,
  run: { latencies: number[]; errors: number; seconds: number },
  cpu: { server: number; sim?: number; own: number },
): Run {
  const s = stats(run.latencies);
  const calls = run.latencies.length;
  return {
    concurrency,
    calls,
    errors: run.errors,
    seconds: run.seconds,
    perSecond: calls / run.seconds,
    p50Ms: s.median,
    p99Ms: s.p99,
    serverCpuMsPerCall: cpu.server / calls,
    simCpuMsPerCall: cpu.sim === undefined ? undefined : cpu.sim / calls,
    loadGenCpuMsPerCall: cpu.own / calls,
  };
}

/** The simulator alone: the upstream GET a get_tenant_platforms call makes, with fetch. */
async function directRun(
  sim: SimChild,
  url: string,
  tokens: TokenGrant[],
  concurrency: number,
  options: ThroughputOptions,
): Promise<Run> {
  const once = async (w: number) => {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${tokens[w % tokens.length]!.accessToken}` },
      signal: AbortSignal.timeout(20_000),
    });
    await response.arrayBuffer();
    return response.ok;
  };
  for (let i = 0; i < options.warmupCalls; i++)
    await Promise.all(Array.from({ length: concurrency }, (_, w) => once(w)));
  const cpu0 = { sim: cpuMs(sim.pid), own: ownCpuMs() };
  const run = await drive(concurrency, options.durationMs, once);
  return summarize(concurrency, run, { server: cpuMs(sim.pid) - cpu0.sim, own: ownCpuMs() - cpu0.own });
}

async function connectClients(
  server: ServerChild,
  sim: SimChild,
  tokens: TokenGrant[],
  count: number,
): Promise<Client[]> {
  const clients: Client[] = [];
  for (let start = 0; start < count; start += 16) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(16, count - start) }, async (_, k) => {
        const token = tokens[(start + k) % tokens.length]!;
        const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: {
            headers: {
              "X-Nectar-DXP-URL": sim.url,
              "X-Nectar-Access-Token": token.accessToken,
              "X-Nectar-Refresh-Token": token.refreshToken,
              "X-Nectar-Domain-Name": "acme",
            },
          },
        });
        const client = new Client({ name: `bench-${start + k}`, version: "1.0.0" });
        await within(15_000, "connecting an SDK client", client.connect(transport));
        return client;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

/** `concurrency` SDK clients, each its own session and credentials, calling the tool in a loop. */
async function mcpRun(
  server: ServerChild,
  sim: SimChild,
  tokens: TokenGrant[],
  concurrency: number,
  options: ThroughputOptions,
): Promise<Run> {
  const clients = await connectClients(server, sim, tokens, concurrency);
  let firstError: string | undefined;
  const once = async (w: number) => {
    try {
      const result = (await clients[w]!.callTool({ name: TOOL, arguments: {} }, undefined, {
        timeout: 20_000,
      })) as CallToolResult;
      if (result.isError) firstError ??= result.content.map((c) => (c.type === "text" ? c.text : "")).join(" ");
      return !result.isError;
    } catch (error) {
      firstError ??= error instanceof Error ? error.message : String(error);
      return false;
    }
  };
  try {
    for (let i = 0; i < options.warmupCalls; i++) await Promise.all(clients.map((_, w) => once(w)));
    if (firstError) throw new Error(`${TOOL} over HTTP failed during warm-up: ${firstError}`);
    const up0 = await sim.count();
    const cpu0 = { server: cpuMs(server.pid), sim: cpuMs(sim.pid), own: ownCpuMs() };
    const run = await drive(concurrency, options.durationMs, once);
    const cpu = { server: cpuMs(server.pid) - cpu0.server, sim: cpuMs(sim.pid) - cpu0.sim, own: ownCpuMs() - cpu0.own };
    const upstream = (await sim.count()) - up0;
    if (run.errors)
      note(`  ! ${run.errors} of ${run.latencies.length} calls failed at ${concurrency} clients; first: ${firstError}`);
    return { ...summarize(concurrency, run, cpu), upstreamPerCall: upstream / run.latencies.length };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await sim.clear();
  }
}

export async function throughputSection(sim: SimChild, options: ThroughputOptions) {
  heading(`2. HTTP throughput: ${TOOL} over Streamable HTTP vs the simulator alone`);
  const maxConcurrency = Math.max(...options.concurrency);
  const tokens = await sim.tokens(maxConcurrency);
  // Both servers start together (the built one idles until its run at the end).
  const [server, built] = await Promise.all([startHttpChild(), startBuiltHttp()]);
  const rows: { mcp: Run; direct: Run }[] = [];
  let shipped: Run | undefined;
  let raw: Run | undefined;
  try {
    // Learn the exact upstream request the tool makes (path, query) from the simulator's log.
    const probe = await mcpRunProbe(server, sim, tokens);
    const url = `${sim.url}${probe.path}${Object.keys(probe.query).length ? `?${new URLSearchParams(probe.query)}` : ""}`;
    note(
      `Server under test: lib/http createHttpApp on @hono/node-server in a child process (bench/http-child.ts, via tsx), ` +
        `its ClientPool with the answer cache off (cache: { ttlMs: 0 }) so every call reaches the DXP. Simulator in a second child; ` +
        `load from this process: SDK Client + StreamableHTTPClientTransport, one session and one credential (X-Nectar-* headers) per client, no tools/list (no client-side output validation).`,
    );
    note(
      `Upstream request per call: GET ${probe.path}?${new URLSearchParams(probe.query)}. ${options.durationMs / 1000} s per run after ${options.warmupCalls} warm-up call(s) per client.`,
    );
    for (const c of options.concurrency) {
      const direct = await directRun(sim, url, tokens, c, options);
      const mcp = await mcpRun(server, sim, tokens, c, options);
      rows.push({ mcp, direct });
    }
    // Informative rows, no target: raw JSON-RPC clients, and the built server as it ships.
    raw = await rawRun(server, sim, tokens, maxConcurrency, options);
    shipped = await mcpRun(built, sim, tokens, maxConcurrency, options);
  } finally {
    await Promise.all([server.started.stop(), built.started.stop()]);
  }

  table(
    [
      "clients",
      "MCP calls/s",
      "MCP p50 ms",
      "MCP p99 ms",
      "p99/p50",
      "sim req/s",
      "sim p50 ms",
      "sim p99 ms",
      "MCP/sim",
      "MCP server CPU ms/call",
      "sim CPU ms/req",
      "errors",
    ],
    [
      ...rows.map(({ mcp, direct }) => [
        mcp.concurrency,
        mcp.perSecond,
        mcp.p50Ms,
        mcp.p99Ms,
        `${r(mcp.p99Ms / mcp.p50Ms, 1)}×`,
        direct.perSecond,
        direct.p50Ms,
        direct.p99Ms,
        `${r((100 * mcp.perSecond) / direct.perSecond, 0)}%`,
        mcp.serverCpuMsPerCall,
        direct.serverCpuMsPerCall,
        mcp.errors,
      ]),
      ...(raw
        ? [
            [
              `${raw.concurrency} (raw fetch JSON-RPC clients, JSON answers)`,
              raw.perSecond,
              raw.p50Ms,
              raw.p99Ms,
              `${r(raw.p99Ms / raw.p50Ms, 1)}×`,
              rows[rows.length - 1]!.direct.perSecond,
              "–",
              "–",
              `${r((100 * raw.perSecond) / rows[rows.length - 1]!.direct.perSecond, 0)}%`,
              raw.serverCpuMsPerCall,
              "–",
              raw.errors,
            ],
          ]
        : []),
      ...(shipped
        ? [
            [
              `${shipped.concurrency} (built server, shipped defaults)`,
              shipped.perSecond,
              shipped.p50Ms,
              shipped.p99Ms,
              `${r(shipped.p99Ms / shipped.p50Ms, 1)}×`,
              "–",
              "–",
              "–",
              "–",
              shipped.serverCpuMsPerCall,
              "–",
              shipped.errors,
            ],
          ]
        : []),
    ],
  );
  note(
    "CPU ms per call (user+sys from /proc, this machine's 2 cores shared by all three processes): " +
      rows
        .map(
          ({ mcp, direct }) =>
            `${mcp.concurrency} clients: MCP = load generator ${r(mcp.loadGenCpuMsPerCall, 2)} + server ${r(mcp.serverCpuMsPerCall, 2)} + simulator ${r(mcp.simCpuMsPerCall ?? Number.NaN, 2)}; ceiling = load generator ${r(direct.loadGenCpuMsPerCall, 2)} + simulator ${r(direct.serverCpuMsPerCall, 2)}`,
        )
        .join(" · ") +
      (raw
        ? ` · raw JSON-RPC clients at ${raw.concurrency}: load generator ${r(raw.loadGenCpuMsPerCall, 2)} + server ${r(raw.serverCpuMsPerCall, 2)}`
        : "") +
      ".",
  );
  if (shipped) {
    note(
      `Built server (dist/servers/cli.js --http, defaults): ${r(shipped.upstreamPerCall ?? Number.NaN, 3)} upstream requests per tool call` +
        `${(shipped.upstreamPerCall ?? 1) < 0.9 ? " (its answer cache served the repeats: not comparable with the ceiling)" : ""}.`,
    );
  }
  const top = rows[rows.length - 1]!;
  const list: Target[] = [
    {
      section: "2. HTTP",
      what: `throughput at ${top.mcp.concurrency} clients vs the simulator's own`,
      target: "≥ 50%",
      measured: `${r((100 * top.mcp.perSecond) / top.direct.perSecond, 0)}% (${r(top.mcp.perSecond, 0)} vs ${r(top.direct.perSecond, 0)} /s)`,
      pass: top.mcp.perSecond >= 0.5 * top.direct.perSecond && top.mcp.errors === 0,
    },
    {
      section: "2. HTTP",
      what: `p99 at ${top.mcp.concurrency} clients`,
      target: "< 10× p50",
      measured: `${r(top.mcp.p99Ms / top.mcp.p50Ms, 1)}× (p50 ${r(top.mcp.p50Ms, 2)} ms, p99 ${r(top.mcp.p99Ms, 2)} ms)`,
      pass: top.mcp.p99Ms < 10 * top.mcp.p50Ms,
    },
  ];
  targets(list);
  const round = (run: Run) =>
    Object.fromEntries(Object.entries(run).map(([k, v]) => [k, typeof v === "number" ? r(v, 3) : v]));
  return {
    json: {
      tool: TOOL,
      serverUnderTest: "lib/http createHttpApp in a child process (tsx), answer cache off",
      durationMs: options.durationMs,
      runs: rows.map(({ mcp, direct }) => ({
        concurrency: mcp.concurrency,
        mcp: round(mcp),
        simulator: round(direct),
        ratio: r(mcp.perSecond / direct.perSecond, 3),
      })),
      rawJsonRpcClients: raw ? round(raw) : undefined,
      builtServerShippedDefaults: shipped ? round(shipped) : undefined,
    },
    targets: list,
  };
}

/**
 * The same calls from the lightest client there is: raw fetch POSTs of JSON-RPC, Accept
 * application/json only (the server answers plain JSON, no SSE), one session each. Shows
 * how much of the MCP figure is the SDK client sharing the machine's cores.
 */
async function rawRun(
  server: ServerChild,
  sim: SimChild,
  tokens: TokenGrant[],
  concurrency: number,
  options: ThroughputOptions,
): Promise<Run> {
  const base = { "content-type": "application/json", accept: "application/json", "mcp-protocol-version": "2025-06-18" };
  const sessions = await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const token = tokens[w % tokens.length]!;
      const nectar = {
        "X-Nectar-DXP-URL": sim.url,
        "X-Nectar-Access-Token": token.accessToken,
        "X-Nectar-Refresh-Token": token.refreshToken,
        "X-Nectar-Domain-Name": "acme",
      };
      const init = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { ...base, ...nectar },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 0,
          method: "initialize",
          params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench-raw", version: "1" } },
        }),
        signal: AbortSignal.timeout(15_000),
      });
      await init.arrayBuffer();
      const id = init.headers.get("mcp-session-id");
      if (!id) throw new Error(`raw initialize answered ${init.status} without a session id`);
      const headers = { ...base, ...nectar, "mcp-session-id": id };
      await (
        await fetch(`${server.url}/mcp`, {
          method: "POST",
          headers,
          body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
        })
      ).arrayBuffer();
      return headers;
    }),
  );
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: TOOL, arguments: {} } });
  const once = async (w: number) => {
    const response = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: sessions[w]!,
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const answer = (await response.json()) as { result?: { isError?: boolean } };
    return response.ok && !!answer.result && !answer.result.isError;
  };
  try {
    for (let i = 0; i < options.warmupCalls; i++) await Promise.all(sessions.map((_, w) => once(w)));
    const up0 = await sim.count();
    const cpu0 = { server: cpuMs(server.pid), sim: cpuMs(sim.pid), own: ownCpuMs() };
    const run = await drive(concurrency, options.durationMs, once);
    const cpu = { server: cpuMs(server.pid) - cpu0.server, sim: cpuMs(sim.pid) - cpu0.sim, own: ownCpuMs() - cpu0.own };
    const upstream = (await sim.count()) - up0;
    return { ...summarize(concurrency, run, cpu), upstreamPerCall: upstream / run.latencies.length };
  } finally {
    await sim.clear();
  }
}

/** One call through the server to learn the upstream request it makes. */
export async function mcpRunProbe(server: ServerChild, sim: SimChild, tokens: TokenGrant[]) {
  const [client] = await connectClients(server, sim, tokens, 1);
  try {
    const since = await sim.count();
    const result = (await client!.callTool({ name: TOOL, arguments: {} }, undefined, {
      timeout: 20_000,
    })) as CallToolResult;
    if (result.isError) throw new Error(`${TOOL} failed: ${JSON.stringify(result.content)}`);
    const gets = (await sim.requests(since)).filter((q) => q.method === "GET");
    if (gets.length !== 1) throw new Error(`${TOOL} made ${gets.length} upstream GETs; expected 1`);
    return gets[0]!;
  } finally {
    await client!.close();
    await sim.clear();
  }
}
