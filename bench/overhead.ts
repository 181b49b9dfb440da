// Section 1: what the MCP layer adds to one tool call, in process. The same upstream GETs
// are made directly with fetch in the same loop, interleaved with the MCP calls, so both
// see the same simulator, sockets, JIT and GC.
import { ClientPool } from "../lib/server/client-pool.ts";
import {
  type CacheMode,
  clientOptions,
  connect,
  type Dxp,
  type Mcp,
  type Replay,
  replay,
  replayable,
} from "./in-process.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { ownCpuMs, r, type Stats, stats } from "./util.ts";

export interface OverheadOptions {
  iterations: number;
  warmup: number;
  /**
   * Calls warmup-window[0] … [1] are also reported on their own: what runs before V8 has
   * compiled the hot path (earlier runs of this bench measured only these, after 30 calls).
   */
  earlyWindow?: readonly [number, number];
}

interface ToolFigures {
  tool: string;
  urls: string[];
  upstreamGets: number;
  mcp: Stats;
  direct: Stats;
  /** This process's CPU time per call (client, server and simulator all run here). */
  mcpCpuMs: number;
  directCpuMs: number;
  addedMedianMs: number;
  addedP99Ms: number;
  ratio: number;
  /** The early calls (OverheadOptions.earlyWindow), MCP and direct medians. */
  early?: { mcp: Stats; direct: Stats };
}

const TOOLS = ["get_session_summary", "get_detailed_session_list"] as const;

/** How the per-credential answer cache was kept from serving the measured calls. */
async function cacheProbe(
  dxp: Dxp,
): Promise<{ mode: CacheMode; varyArgs: boolean; how: string; probe: Record<string, number> }> {
  const repeatGets = async (cache: CacheMode) => {
    const mcp = await connect(dxp, cache);
    try {
      const first = await mcp.traced("get_session_summary");
      const second = await mcp.traced("get_session_summary");
      return { first: first.upstream.length, second: second.upstream.length };
    } finally {
      await mcp.close();
    }
  };
  const byDefault = await repeatGets("default");
  const off = await repeatGets("off");
  const probe = {
    defaultFirst: byDefault.first,
    defaultRepeat: byDefault.second,
    offFirst: off.first,
    offRepeat: off.second,
  };
  if (off.second >= off.first) {
    const how =
      byDefault.second >= byDefault.first
        ? "no answer cache served a repeated call in this build; the client also got cache: { ttlMs: 0 } in case one appears"
        : "the client's answer cache is on by default; turned off here with ClientOptions cache: { ttlMs: 0 } (a repeated identical call went upstream again)";
    return { mode: "off", varyArgs: false, how, probe };
  }
  return {
    mode: "off",
    varyArgs: true,
    how: "the answer cache could not be turned off from ClientOptions: each iteration asks a different custom window (from/to shifted by 1 s) so no answer can be reused",
    probe,
  };
}

/** Arguments of iteration i: fixed, or a custom 24-hour window moved back one second per iteration. */
function argsFor(varyArgs: boolean, anchorMs: number, i: number): Record<string, unknown> {
  if (!varyArgs) return {};
  const to = anchorMs - (i + 1) * 1000;
  return { from: new Date(to - 24 * 3600_000).toISOString(), to: new Date(to).toISOString() };
}

async function measureTool(
  mcp: Mcp,
  dxp: Dxp,
  tool: string,
  options: OverheadOptions,
  varyArgs: boolean,
): Promise<ToolFigures> {
  const anchor = Date.now();
  const mcpMs: number[] = [];
  const directMs: number[] = [];
  const early = { mcp: [] as number[], direct: [] as number[] };
  const [earlyFrom, earlyTo] = options.earlyWindow ?? [0, 0];
  let mcpCpu = 0;
  let directCpu = 0;
  let last: Replay[] = [];
  let upstreamGets = 0;
  const total = options.warmup + options.iterations;
  for (let i = 0; i < total; i++) {
    const measured = i >= options.warmup;
    const inEarly = i >= earlyFrom && i < earlyTo;
    const runMcp = async () => {
      const cpu = ownCpuMs();
      const started = performance.now();
      const { upstream } = await mcp.traced(tool, argsFor(varyArgs, anchor, i));
      const elapsed = performance.now() - started;
      if (measured) mcpCpu += ownCpuMs() - cpu;
      last = replayable(dxp.http.url, upstream);
      upstreamGets = last.length;
      if (measured) mcpMs.push(elapsed);
      if (inEarly) early.mcp.push(elapsed);
    };
    const runDirect = async () => {
      const cpu = ownCpuMs();
      const started = performance.now();
      await replay(last);
      if (inEarly) early.direct.push(performance.now() - started);
      if (measured) {
        directMs.push(performance.now() - started);
        directCpu += ownCpuMs() - cpu;
      }
    };
    // Alternate the order so neither side always runs right after the other. The direct side
    // replays the URLs of the latest MCP call (the same ones, unless arguments vary).
    if (i % 2 === 0 || last.length === 0) {
      await runMcp();
      await runDirect();
    } else {
      await runDirect();
      await runMcp();
    }
  }
  const m = stats(mcpMs);
  const d = stats(directMs);
  return {
    tool,
    urls: last.map((q) => q.url),
    upstreamGets,
    mcp: m,
    direct: d,
    mcpCpuMs: mcpCpu / options.iterations,
    directCpuMs: directCpu / options.iterations,
    addedMedianMs: m.median - d.median,
    addedP99Ms: m.p99 - d.p99,
    ratio: m.median / d.median,
    early: early.mcp.length > 0 ? { mcp: stats(early.mcp), direct: stats(early.direct) } : undefined,
  };
}

/**
 * The DXP client alone, no MCP: what the tool's handler asks of it (pool lookup, then the
 * same reads), so that the added time splits into "DXP client" and "MCP + tool".
 */
function clientReads(tool: string): ((pool: ClientPool, dxp: Dxp) => Promise<unknown>) | undefined {
  const query = { window: { period: "LAST_DAY" as const } };
  const call = { tenant: "acme" };
  const credentials = (dxp: Dxp) => ({ url: dxp.http.url, ...dxp.tokens, tenant: "acme" });
  if (tool === "get_session_summary") {
    return async (pool, dxp) => {
      const c = await pool.get(credentials(dxp));
      return Promise.all([
        c.sessionSummary(query, call),
        c.sessionSummaryByQuality(query, call),
        c.sessionInsights(query, call),
        c.qualityByMedia("audio", query, call),
        c.qualityByMedia("video", query, call),
        c.qualityByMedia("appshare", query, call),
      ]);
    };
  }
  if (tool === "get_detailed_session_list") {
    return async (pool, dxp) =>
      (await pool.get(credentials(dxp))).sessions(
        { ...query, pageNumber: 1, pageSize: 25, orderByField: "startDate", orderDirection: "desc" },
        call,
      );
  }
  return undefined;
}

async function clientOnly(
  dxp: Dxp,
  tool: string,
  options: OverheadOptions,
  toolUrls: readonly string[],
): Promise<{ stats: Stats; sameRequests: boolean } | undefined> {
  const reads = clientReads(tool);
  if (!reads) return undefined;
  const pool = new ClientPool(clientOptions("off"));
  const before = dxp.sim.requests.length;
  await reads(pool, dxp);
  const urls = replayable(dxp.http.url, dxp.sim.requests.slice(before)).map((q) => q.url);
  const sameRequests = urls.length === toolUrls.length && urls.every((u) => toolUrls.includes(u));
  const ms: number[] = [];
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    const started = performance.now();
    await reads(pool, dxp);
    if (i >= options.warmup) ms.push(performance.now() - started);
  }
  return { stats: stats(ms), sameRequests };
}

/** An MCP round trip that reaches no DXP (set_session_filter with no arguments shows the filter). */
async function protocolOnly(mcp: Mcp, options: OverheadOptions): Promise<Stats> {
  const ms: number[] = [];
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    const started = performance.now();
    await mcp.ok("set_session_filter");
    if (i >= options.warmup) ms.push(performance.now() - started);
  }
  return stats(ms);
}

export async function overheadSection(dxp: Dxp, options: OverheadOptions) {
  heading("1. Overhead per tool call (in-process MCP client ↔ server, simulator over loopback HTTP)");
  const cache = await cacheProbe(dxp);
  note(`Cache: ${cache.how}.`);
  note(
    `Iterations: ${options.iterations} after ${options.warmup} warm-up, MCP and direct interleaved; direct = the same GETs with fetch in parallel, same Bearer token and tenant, bodies read as JSON.`,
  );
  if (options.earlyWindow) {
    note(
      `The target is the steady state, after the warm-up: a server runs for many calls. Calls ${options.earlyWindow[0] + 1}–${options.earlyWindow[1]} ` +
        'are shown on their own rows ("early"): while V8 is still compiling the hot path, every call costs more, on both sides and most in the DXP client.',
    );
  }
  const mcp = await connect(dxp, cache.mode);
  const tools: ToolFigures[] = [];
  const clients = new Map<string, Awaited<ReturnType<typeof clientOnly>>>();
  let bare: Stats;
  try {
    for (const tool of TOOLS) tools.push(await measureTool(mcp, dxp, tool, options, cache.varyArgs));
    bare = await protocolOnly(mcp, options);
    // With varied arguments the fixed reads below would be answered by the cache: skip them.
    if (!cache.varyArgs) for (const t of tools) clients.set(t.tool, await clientOnly(dxp, t.tool, options, t.urls));
  } finally {
    await mcp.close();
  }
  table(
    [
      "tool",
      "upstream GETs",
      "MCP median ms",
      "MCP p99 ms",
      "direct median ms",
      "direct p99 ms",
      "added median ms",
      "added p99 ms",
      "ratio",
      "added CPU ms/call",
    ],
    [
      ...tools.map((t) => [
        t.tool,
        t.upstreamGets,
        t.mcp.median,
        t.mcp.p99,
        t.direct.median,
        t.direct.p99,
        t.addedMedianMs,
        t.addedP99Ms,
        `${r(t.ratio, 2)}×`,
        t.mcpCpuMs - t.directCpuMs,
      ]),
      ...tools.flatMap((t) =>
        t.early
          ? [
              [
                `${t.tool}, early (calls ${options.earlyWindow![0] + 1}–${options.earlyWindow![1]})`,
                t.upstreamGets,
                t.early.mcp.median,
                t.early.mcp.p99,
                t.early.direct.median,
                t.early.direct.p99,
                t.early.mcp.median - t.early.direct.median,
                t.early.mcp.p99 - t.early.direct.p99,
                `${r(t.early.mcp.median / t.early.direct.median, 2)}×`,
                "–",
              ],
            ]
          : [],
      ),
      ...tools.flatMap((t) => {
        const c = clients.get(t.tool);
        if (!c) return [];
        const label = `${t.tool}: DxpClient alone, no MCP${c.sameRequests ? "" : " (its requests differ from the tool's!)"}`;
        return [
          [
            label,
            t.upstreamGets,
            c.stats.median,
            c.stats.p99,
            t.direct.median,
            t.direct.p99,
            c.stats.median - t.direct.median,
            c.stats.p99 - t.direct.p99,
            `${r(c.stats.median / t.direct.median, 2)}×`,
            "–",
          ],
        ];
      }),
      [
        "set_session_filter (no upstream: MCP round trip alone)",
        0,
        bare.median,
        bare.p99,
        "–",
        "–",
        bare.median,
        bare.p99,
        "–",
        "–",
      ],
    ],
  );
  note(
    "DxpClient alone: the handler's own requests through lib/client (ClientPool.get, then the same reads in parallel), without MCP or the tool; " +
      "the rest of the added time is the MCP round trip, argument/output validation and the tool's rendering.",
  );
  const list: Target[] = tools.map((t) => ({
    section: "1. overhead",
    what: `added per call, ${t.tool} (median, steady state)`,
    target: "≤ 1 ms",
    measured: `${r(t.addedMedianMs, 2)} ms (${r(t.ratio, 2)}× direct)`,
    pass: t.addedMedianMs <= 1,
  }));
  note(
    "added CPU ms/call: this process's CPU time per MCP call minus per direct replay (client, server and simulator all run in this process); " +
      "unlike wall time it hardly moves when other work shares the machine.",
  );
  targets(list);
  return {
    json: {
      cache: cache.how,
      cacheProbeUpstreamGets: cache.probe,
      argumentsVaried: cache.varyArgs,
      iterations: options.iterations,
      warmup: options.warmup,
      tools: tools.map((t) => ({
        tool: t.tool,
        upstreamGets: t.upstreamGets,
        mcpMs: roundStats(t.mcp),
        directMs: roundStats(t.direct),
        addedMedianMs: r(t.addedMedianMs, 3),
        addedP99Ms: r(t.addedP99Ms, 3),
        ratio: r(t.ratio, 3),
        cpuMsPerCall: { mcp: r(t.mcpCpuMs, 3), direct: r(t.directCpuMs, 3), added: r(t.mcpCpuMs - t.directCpuMs, 3) },
        early: t.early && {
          calls: options.earlyWindow,
          mcpMs: roundStats(t.early.mcp),
          directMs: roundStats(t.early.direct),
          addedMedianMs: r(t.early.mcp.median - t.early.direct.median, 3),
        },
      })),
      dxpClientAloneMs: Object.fromEntries(
        [...clients].map(([tool, c]) => [tool, c ? { ...roundStats(c.stats), sameRequests: c.sameRequests } : null]),
      ),
      mcpRoundTripWithoutUpstreamMs: roundStats(bare),
    },
    targets: list,
  };
}

export const roundStats = (s: Stats) => ({
  n: s.n,
  median: r(s.median, 3),
  p99: r(s.p99, 3),
  mean: r(s.mean, 3),
  min: r(s.min, 3),
  max: r(s.max, 3),
});
