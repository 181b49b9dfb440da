// Section 7: a scripted 20-step analyst conversation through one MCP session, counting the
// upstream requests each step makes (from the simulator's log). Run with the client's
// default options (its answer cache, if any, as shipped) and again with the cache off.
import { type CacheMode, connect, type Dxp } from "./in-process.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { listen, r } from "./util.ts";

type Step = { say: string; tool: string; args: (found: { location: string }) => Record<string, unknown> };

const none = () => ({});

/** What an analyst asks, in order. `found.location` is the worst site from step 4. */
export const SCRIPT: readonly Step[] = [
  { say: "How were calls today?", tool: "get_session_summary", args: none },
  { say: "And over the week?", tool: "get_session_summary", args: () => ({ timePeriod: "LAST_WEEK" }) },
  { say: "When did it go wrong?", tool: "get_session_histogram", args: () => ({ timePeriod: "LAST_WEEK" }) },
  { say: "Which sites are worst?", tool: "get_location_quality_summary", args: () => ({ timePeriod: "LAST_WEEK" }) },
  {
    say: "Focus on the worst site this week",
    tool: "set_session_filter",
    args: (f) => ({ timePeriod: "LAST_WEEK", locations: [f.location] }),
  },
  { say: "Summary there", tool: "get_session_summary", args: none },
  { say: "Over time there", tool: "get_session_histogram", args: none },
  { say: "Show me the poor calls there", tool: "get_detailed_session_list", args: () => ({ qualities: ["CRITICAL"] }) },
  { say: "Next page", tool: "get_detailed_session_list", args: () => ({ qualities: ["CRITICAL"], pageNumber: 2 }) },
  { say: "Who was on them?", tool: "get_users", args: none },
  { say: "Remind me of the numbers there", tool: "get_session_summary", args: none },
  { say: "Back to the whole week", tool: "set_session_filter", args: () => ({ clear: true, timePeriod: "LAST_WEEK" }) },
  { say: "Whole-week summary again", tool: "get_session_summary", args: none },
  { say: "Sites again, worst first", tool: "get_location_quality_summary", args: none },
  { say: "Where are the sites?", tool: "get_locations", args: none },
  { say: "Which platforms are on?", tool: "get_tenant_platforms", args: none },
  { say: "Any endpoint tests?", tool: "get_endpoint_test_count", args: none },
  { say: "Their results", tool: "get_endpoint_test_summaries", args: none },
  { say: "Poor calls across the week", tool: "get_detailed_session_list", args: () => ({ qualities: ["CRITICAL"] }) },
  { say: "One more look at the week's summary", tool: "get_session_summary", args: none },
];

async function play(dxp: Dxp, cache: CacheMode): Promise<number[]> {
  const mcp = await connect(dxp, cache);
  const found = { location: "loc-dallas" }; // replaced by the worst site of the first location summary
  let located = false;
  const perStep: number[] = [];
  try {
    for (const step of SCRIPT) {
      const { result, upstream } = await mcp.traced(step.tool, step.args(found));
      perStep.push(upstream.length);
      if (step.tool === "get_location_quality_summary" && !located) {
        const worst = (result.structuredContent as { locations?: { name?: string }[] } | undefined)?.locations?.[0]
          ?.name;
        if (worst) found.location = worst;
        located = true;
      }
    }
  } finally {
    await mcp.close();
  }
  return perStep;
}

/**
 * Does get_session_summary send its GETs in parallel? Served on a fresh port (so the HTTP
 * client's connection pool for it starts empty), one call opens as many connections as it
 * had requests in flight at once: 1 when sequential, one per GET when parallel.
 */
async function fanOut(dxp: Dxp): Promise<{ gets: number; connections: number }> {
  const fresh = await listen(dxp.sim.fetch);
  try {
    const mcp = await connect({ ...dxp, http: fresh }, "off");
    try {
      const { upstream } = await mcp.traced("get_session_summary");
      return { gets: upstream.filter((q) => q.method === "GET").length, connections: fresh.connections };
    } finally {
      await mcp.close();
    }
  } finally {
    await fresh.close();
  }
}

/**
 * Two identical get_session_summary calls at once, answer cache off (so only sharing of
 * requests in flight can save any): how many upstream GETs?
 */
async function sharing(dxp: Dxp): Promise<{ distinct: number; made: number }> {
  const mcp = await connect(dxp, "off");
  try {
    const before = dxp.sim.requests.length;
    await Promise.all([
      mcp.ok("get_session_summary", { timePeriod: "LAST_MONTH" }),
      mcp.ok("get_session_summary", { timePeriod: "LAST_MONTH" }),
    ]);
    const gets = dxp.sim.requests.slice(before).filter((q) => q.method === "GET");
    return { distinct: new Set(gets.map((q) => `${q.path}?${new URLSearchParams(q.query)}`)).size, made: gets.length };
  } finally {
    await mcp.close();
  }
}

export async function conversationSection(dxp: Dxp) {
  heading(`7. Upstream calls: a ${SCRIPT.length}-step analyst conversation through one MCP session`);
  const shipped = await play(dxp, "default");
  const off = await play(dxp, "off");
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  note(
    'Upstream = every request the simulator saw during the step (GETs and token refreshes). "as shipped": the client\'s default options; "cache off": cache: { ttlMs: 0 }.',
  );
  table(
    ["#", "analyst asks", "tool", "upstream as shipped", "upstream cache off"],
    [
      ...SCRIPT.map((s, i) => [i + 1, s.say, s.tool, shipped[i]!, off[i]!]),
      ["", "total", `${SCRIPT.length} tool calls`, sum(shipped), sum(off)],
      ["", "per tool call", "", r(sum(shipped) / SCRIPT.length, 2), r(sum(off) / SCRIPT.length, 2)],
    ],
  );
  const perCall = sum(shipped) / SCRIPT.length;
  const parallel = await fanOut(dxp);
  const shared = await sharing(dxp);
  note(
    `Fan-out: one get_session_summary made ${parallel.gets} GETs over ${parallel.connections} connection(s) from a cold pool ` +
      `(${parallel.connections >= parallel.gets ? "all in flight at once" : parallel.connections === 1 ? "one at a time" : "partly parallel"}). ` +
      `Sharing: two identical get_session_summary calls at once (answer cache off) made ${shared.made} upstream GETs for ${shared.distinct} distinct requests.`,
  );
  const list: Target[] = [
    {
      section: "7. upstream",
      what: "get_session_summary's GETs in parallel (connections from a cold pool)",
      target: `= ${parallel.gets} GETs`,
      measured: `${parallel.connections} connection(s)`,
      pass: parallel.connections >= parallel.gets,
    },
    {
      section: "7. upstream",
      what: "two identical concurrent calls share upstream GETs",
      target: `${shared.distinct} GETs`,
      measured: `${shared.made} GETs`,
      pass: shared.made <= shared.distinct,
    },
    {
      section: "7. upstream",
      what: "upstream requests per tool call, 20-step conversation (as shipped)",
      target: "< 1 (fewer upstream requests than tool calls)",
      measured: `${r(perCall, 2)} (${sum(shipped)} for ${SCRIPT.length} calls; cache off ${sum(off)})`,
      pass: sum(shipped) < SCRIPT.length,
    },
  ];
  targets(list);
  return {
    json: {
      steps: SCRIPT.map((s, i) => ({
        step: i + 1,
        says: s.say,
        tool: s.tool,
        upstreamAsShipped: shipped[i],
        upstreamCacheOff: off[i],
      })),
      toolCalls: SCRIPT.length,
      upstreamAsShipped: sum(shipped),
      upstreamCacheOff: sum(off),
      upstreamPerToolCall: r(perCall, 3),
      summaryFanOut: parallel,
      identicalConcurrentCalls: shared,
    },
    targets: list,
  };
}
