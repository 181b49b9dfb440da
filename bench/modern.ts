// Section 8: MCP 2026-07-28 at 64 clients, ours (all tools) beside a bare SDK v2 McpServer
// with one tool, both built per request by the SDK's createMcpHandler. On a small shared
// machine one long run of each measures the neighbours as much as the servers (one pair of
// runs gave 1.39×, another 0.83×), so both servers run side by side and take turns in short
// rounds, in ABBA order (peer, ours, ours, peer, …) so that a drift in load falls on both;
// the figure is the median of the per-pair ratios, with their spread.
import { type ServerChild, type SimChild, startHttpChild, startPeerChild, type TokenGrant } from "./children.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { drive, mcpRunProbe, type Run, summarize } from "./throughput.ts";
import { cpuMs, ownCpuMs, r, stats } from "./util.ts";

export interface ModernOptions {
  clients: number;
  /** Pairs of rounds (one of each server per pair). */
  pairs: number;
  roundMs: number;
  warmupCalls: number;
}

const TOOL = "get_tenant_platforms";

export async function modernSection(sim: SimChild, options: ModernOptions) {
  heading(
    `8. MCP 2026-07-28 at ${options.clients} clients: ours beside a bare SDK v2 McpServer with one tool, in alternating rounds`,
  );
  const tokens = await sim.tokens(options.clients);
  const ours = await startHttpChild();
  let peer: ServerChild | undefined;
  const pairs: { peer: Run; ours: Run }[] = [];
  try {
    const probe = await mcpRunProbe(ours, sim, tokens);
    const url = `${sim.url}${probe.path}${Object.keys(probe.query).length ? `?${new URLSearchParams(probe.query)}` : ""}`;
    peer = await startPeerChild(url);
    const servers = { peer, ours };
    for (const which of ["peer", "ours"] as const)
      await modernRun(servers[which], sim, tokens, options.clients, {
        durationMs: 300,
        warmupCalls: options.warmupCalls,
      });
    for (let i = 0; i < options.pairs; i++) {
      const order = i % 2 === 0 ? (["peer", "ours"] as const) : (["ours", "peer"] as const);
      const pair: Partial<Record<"peer" | "ours", Run>> = {};
      for (const which of order)
        pair[which] = await modernRun(servers[which], sim, tokens, options.clients, {
          durationMs: options.roundMs,
          warmupCalls: 0,
        });
      pairs.push(pair as { peer: Run; ours: Run });
    }
  } finally {
    await Promise.all([ours.started.stop(), peer?.started.stop()]);
  }

  note(
    "Both servers build an MCP server per request through the SDK's createMcpHandler on Hono + @hono/node-server; the peer " +
      "(bench/peer-child.ts) registers one tool that makes the same upstream GET, ours (bench/http-child.ts, answer cache off) " +
      "registers all its tools, prompts and resources. Load: raw fetch POSTs of 2026-07-28 tools/call requests (headers and " +
      `_meta envelope, JSON answers), one credential per client. ${options.pairs} pairs of ${options.roundMs / 1000} s rounds, ABBA order.`,
  );
  const ratios = pairs.map((p) => p.ours.perSecond / p.peer.perSecond);
  const cpuRatios = pairs.map((p) => p.peer.serverCpuMsPerCall / p.ours.serverCpuMsPerCall);
  const sum = (runs: Run[], key: keyof Run) => runs.reduce((a, run) => a + (run[key] as number), 0);
  const total = (runs: Run[]) => ({
    perSecond: sum(runs, "calls") / sum(runs, "seconds"),
    cpu: runs.reduce((a, run) => a + run.serverCpuMsPerCall * run.calls, 0) / sum(runs, "calls"),
    p50: stats(runs.map((run) => run.p50Ms)).median,
    errors: sum(runs, "errors"),
  });
  const all = { peer: total(pairs.map((p) => p.peer)), ours: total(pairs.map((p) => p.ours)) };
  table(
    ["pair", "peer calls/s", "ours calls/s", "ours/peer", "peer CPU ms/call", "ours CPU ms/call", "errors"],
    [
      ...pairs.map((p, i) => [
        i + 1,
        p.peer.perSecond,
        p.ours.perSecond,
        `${r(ratios[i]!, 2)}×`,
        p.peer.serverCpuMsPerCall,
        p.ours.serverCpuMsPerCall,
        p.peer.errors + p.ours.errors,
      ]),
      [
        "all",
        all.peer.perSecond,
        all.ours.perSecond,
        `${r(all.ours.perSecond / all.peer.perSecond, 2)}×`,
        all.peer.cpu,
        all.ours.cpu,
        all.peer.errors + all.ours.errors,
      ],
    ],
  );
  const ratio = stats(ratios);
  const cpuRatio = stats(cpuRatios);
  const spread = `min ${r(Math.min(...ratios), 2)}×, max ${r(Math.max(...ratios), 2)}×`;
  note(
    `Throughput ratio ours/peer: median ${r(ratio.median, 2)}× (${spread}); server CPU per call peer/ours: median ${r(cpuRatio.median, 2)}×.`,
  );
  const list: Target[] = [
    {
      section: "8. HTTP 2026-07-28",
      what: `throughput at ${options.clients} clients vs a bare SDK v2 McpServer with one tool (median of ${pairs.length} alternating pairs)`,
      target: "≥ 1.3×",
      measured: `${r(ratio.median, 2)}× (${spread}; ${r(all.ours.perSecond, 0)} vs ${r(all.peer.perSecond, 0)} /s)`,
      pass: ratio.median >= 1.3 && all.ours.errors === 0,
    },
  ];
  targets(list);
  const round = (run: Run) =>
    Object.fromEntries(Object.entries(run).map(([k, v]) => [k, typeof v === "number" ? r(v, 3) : v]));
  return {
    json: {
      clients: options.clients,
      roundMs: options.roundMs,
      pairs: pairs.map((p) => ({
        peer: round(p.peer),
        ours: round(p.ours),
        ratio: r(p.ours.perSecond / p.peer.perSecond, 3),
      })),
      medianRatio: r(ratio.median, 3),
      minRatio: r(Math.min(...ratios), 3),
      maxRatio: r(Math.max(...ratios), 3),
      medianCpuRatio: r(cpuRatio.median, 3),
    },
    targets: list,
  };
}

/**
 * MCP 2026-07-28 tools/call from raw fetch clients: no session, the revision's headers and
 * per-request _meta envelope on every call, JSON answers. The same load for any server.
 */
async function modernRun(
  server: ServerChild,
  sim: SimChild,
  tokens: TokenGrant[],
  concurrency: number,
  options: { durationMs: number; warmupCalls: number },
): Promise<Run> {
  const envelope = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "bench-2026", version: "1" },
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  const headers = tokens.slice(0, concurrency).map((token) => ({
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": "tools/call",
    "mcp-name": TOOL,
    "X-Nectar-DXP-URL": sim.url,
    "X-Nectar-Access-Token": token.accessToken,
    "X-Nectar-Refresh-Token": token.refreshToken,
    "X-Nectar-Domain-Name": "acme",
  }));
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: TOOL, arguments: {}, _meta: envelope },
  });
  let firstError: string | undefined;
  const once = async (w: number) => {
    try {
      const response = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: headers[w % headers.length]!,
        body,
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      const answer = JSON.parse(text) as { result?: { isError?: boolean } };
      const ok = response.ok && !!answer.result && !answer.result.isError;
      if (!ok) firstError ??= `${response.status} ${text.slice(0, 300)}`;
      return ok;
    } catch (error) {
      firstError ??= error instanceof Error ? error.message : String(error);
      return false;
    }
  };
  try {
    for (let i = 0; i < options.warmupCalls; i++) await Promise.all(headers.map((_, w) => once(w)));
    if (firstError) throw new Error(`2026-07-28 ${TOOL} failed during warm-up: ${firstError}`);
    const up0 = await sim.count();
    const cpu0 = { server: cpuMs(server.pid), sim: cpuMs(sim.pid), own: ownCpuMs() };
    const run = await drive(concurrency, options.durationMs, once);
    const cpu = { server: cpuMs(server.pid) - cpu0.server, sim: cpuMs(sim.pid) - cpu0.sim, own: ownCpuMs() - cpu0.own };
    const upstream = (await sim.count()) - up0;
    if (run.errors) note(`  ! ${run.errors} of ${run.latencies.length} 2026-07-28 calls failed; first: ${firstError}`);
    return { ...summarize(concurrency, run, cpu), upstreamPerCall: upstream / run.latencies.length };
  } finally {
    await sim.clear();
  }
}
