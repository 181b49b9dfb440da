// Section 9 (issue 20, item 10): each tool's upstream round trips with the simulator's
// `latencyMs` fault at 150 ms, two ways: elapsed / 150 ms, rounded (what a user waits), and
// counted from the simulator's log (lib/simulator roundTrips: a request that arrived after
// another was answered waited for it), beside the target: 1.0, 2.0 where something must be
// found first (a name, the worst session). Cache off, so every read reaches the simulator.
import { roundTrips } from "../lib/simulator/index.ts";
import { connect, type Dxp } from "./in-process.ts";
import { heading, note, type Target, table, targets } from "./report.ts";

const LATENCY_MS = 150;

interface Case {
  tool: string;
  args: Record<string, unknown>;
  /** Round trips the tool needs at least: 1, or 2 when a first answer names what to read next. */
  target: number;
  why?: string;
}

const CASES: readonly Case[] = [
  { tool: "get_session_summary", args: { timePeriod: "LAST_WEEK" }, target: 1 },
  { tool: "get_session_summary", args: { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true }, target: 1 },
  {
    tool: "get_session_summary",
    args: { timePeriod: "LAST_DAY", locations: ["Dallas"], users: ["Ingrid Hughes"] },
    target: 2,
    why: "names checked first",
  },
  { tool: "get_session_histogram", args: { timePeriod: "LAST_WEEK" }, target: 1 },
  { tool: "get_quality_breakdown", args: { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true }, target: 1 },
  { tool: "get_detailed_session_list", args: { timePeriod: "LAST_WEEK" }, target: 1 },
  {
    tool: "get_location_quality_summary",
    args: { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true },
    target: 1,
  },
  { tool: "get_session_details", args: { sessionId: "" }, target: 1 },
  { tool: "get_session_details", args: {}, target: 2, why: "the worst session found first" },
  {
    tool: "get_user_summary",
    args: { user: "Ingrid Hughes", timePeriod: "LAST_WEEK" },
    target: 2,
    why: "the name resolved first",
  },
  { tool: "get_users", args: {}, target: 1 },
  { tool: "get_locations", args: {}, target: 1 },
];

export async function roundTripSection(dxp: Dxp): Promise<{ json: unknown; targets: Target[] }> {
  heading(`9. Round trips per tool (simulator latency ${LATENCY_MS} ms, answer cache off)`);
  const mcp = await connect(dxp, "off");
  const rows: { tool: string; args: string; requests: number; byClock: number; counted: number; target: number }[] = [];
  try {
    const first = await mcp.ok("get_detailed_session_list", { timePeriod: "LAST_DAY", pageSize: 1 });
    const sessionId = (first.structuredContent as { sessions: { sessionId: string }[] }).sessions[0]?.sessionId ?? "";
    dxp.sim.setFaults({ latencyMs: LATENCY_MS });
    for (const c of CASES) {
      const args = "sessionId" in c.args ? { ...c.args, sessionId } : c.args;
      const started = performance.now();
      const { upstream } = await mcp.traced(c.tool, args);
      const elapsed = performance.now() - started;
      rows.push({
        tool: c.tool,
        args: JSON.stringify(args).slice(0, 70),
        requests: upstream.length,
        byClock: Math.round(elapsed / LATENCY_MS),
        counted: roundTrips(upstream),
        target: c.target,
      });
    }
  } finally {
    dxp.sim.clearFaults();
    await mcp.close();
  }
  table(
    ["tool", "arguments", "requests", "round trips (elapsed / 150 ms)", "round trips (counted)", "target"],
    rows.map((r) => [r.tool, r.args, r.requests, r.byClock, r.counted, r.target.toFixed(1)]),
  );
  note(
    "Counted: from the simulator's log (a request that arrived after another was answered waited for it); the elapsed figure also carries this machine's load.",
  );
  const list: Target[] = rows.map((r) => ({
    section: "9",
    what: `round trips, ${r.tool} ${r.args}`,
    target: `≤ ${r.target.toFixed(1)}`,
    measured: String(r.counted),
    pass: r.counted <= r.target,
  }));
  targets(list);
  return { json: rows, targets: list };
}
