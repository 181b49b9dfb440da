// A focused profile of one tool call's MCP path: the simulator runs in a child process, so a
// CPU profile of this process holds only the MCP client, our server and its DXP client.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-call.ts [tool] [calls] [--mcp-only | --direct-only]
//   npx tsx bench/top-frames.ts /tmp/prof/*.cpuprofile
import { startSimChild } from "./children.ts";
import { connect } from "./in-process.ts";
import { killChildren, ownCpuMs } from "./util.ts";

const tool = process.argv.filter((a) => !a.startsWith("--"))[2] ?? "get_session_summary";
const calls = Number(process.argv.filter((a) => !a.startsWith("--"))[3] ?? 2000);
const sim = await startSimChild(Number(process.env.BENCH_SIM_SESSIONS ?? 20_000));
try {
  const [tokens] = await sim.tokens(1);
  const mcp = await connect({ url: sim.url, tokens: tokens! }, "off");
  const directOnly = process.argv.includes("--direct-only");
  for (let i = 0; i < 50; i++) await mcp.ok(tool);
  const cpu = ownCpuMs();
  const started = performance.now();
  for (let i = 0; i < (directOnly ? 0 : calls); i++) await mcp.ok(tool);
  const ms = performance.now() - started;
  if (!directOnly)
    process.stdout.write(
      `${tool} through MCP: ${calls} calls, ${(ms / calls).toFixed(3)} ms wall and ${((ownCpuMs() - cpu) / calls).toFixed(3)} ms CPU of this process per call\n`,
    );
  // The same upstream GETs made directly, for the baseline (skip with --mcp-only when profiling).
  if (!process.argv.includes("--mcp-only")) {
    const since = await sim.count();
    await mcp.ok(tool);
    const gets = (await sim.requests(since)).filter((q) => q.method === "GET");
    const urls = gets.map((q) => `${sim.url}${q.path}?${new URLSearchParams(q.query)}`);
    const direct = async () =>
      Promise.all(
        urls.map(async (u) => (await fetch(u, { headers: { authorization: `Bearer ${tokens!.accessToken}` } })).json()),
      );
    for (let i = 0; i < 50; i++) await direct();
    const cpu2 = ownCpuMs();
    const started2 = performance.now();
    for (let i = 0; i < calls; i++) await direct();
    const ms2 = performance.now() - started2;
    process.stdout.write(
      `the same ${urls.length} GET(s) with fetch: ${(ms2 / calls).toFixed(3)} ms wall and ${((ownCpuMs() - cpu2) / calls).toFixed(3)} ms CPU of this process per call\n`,
    );
  }
  await mcp.close();
} finally {
  await sim.stop();
  killChildren();
}
