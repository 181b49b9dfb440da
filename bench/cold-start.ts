// Section 3: how long the built stdio server takes from spawn to the tools/list answer, as
// Claude Desktop sees it, beside a bare SDK stdio server with one zod tool (bench/peer-stdio.mjs,
// run from node_modules) and a bare `node -e 0` spawn-to-exit, alternating in the same run.
import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { SimChild } from "./children.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { CLI, cpuMs, r, stats, track, within } from "./util.ts";

export interface ColdStartOptions {
  runs: number;
  /** One untimed start of each first (skipped in --quick). */
  warmup: boolean;
}

const PEER = "bench/peer-stdio.mjs";

async function serverToToolsList(
  env: Record<string, string>,
  script = CLI,
): Promise<{ ms: number; cpuMs: number; tools: number }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [script], env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "bench-cold-start", version: "1.0.0" });
  const started = performance.now();
  try {
    await within(20_000, "stdio initialize", client.connect(transport)); // spawns, then initialize
    const { tools } = await within(20_000, "stdio tools/list", client.listTools());
    const ms = performance.now() - started;
    // CPU the server spent to get here: hardly moved by other work on the machine, unlike wall time.
    return { ms, cpuMs: cpuMs(transport.pid ?? undefined), tools: tools.length };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; stderr:\n${stderr}`);
  } finally {
    await client.close().catch(() => {});
  }
}

function nodeToExit(args: string[]): Promise<number> {
  const started = performance.now();
  const child = track(spawn(process.execPath, args, { stdio: "ignore", env: { PATH: process.env.PATH ?? "" } }));
  return within(
    20_000,
    `node ${args.join(" ")}`,
    new Promise<number>((done, fail) => {
      child.once("exit", () => done(performance.now() - started));
      child.once("error", fail);
    }),
  );
}

export async function coldStartSection(sim: SimChild, options: ColdStartOptions) {
  heading("3. Cold start: spawn `node dist/servers/cli.js` (stdio) → initialize → tools/list answer");
  const [token] = await sim.tokens(1);
  const env = {
    PATH: process.env.PATH ?? "",
    NECTAR_DXP_URL: sim.url,
    NECTAR_ACCESS_TOKEN: token!.accessToken,
    NECTAR_REFRESH_TOKEN: token!.refreshToken,
    NECTAR_DOMAIN_NAME: "acme",
  };
  // One untimed start of each warms the file cache, as a second launch of Claude Desktop would find it.
  if (options.warmup) {
    await serverToToolsList(env);
    await serverToToolsList(env, PEER);
    await nodeToExit(["-e", "0"]);
    await nodeToExit([CLI, "--version"]);
  }
  const server: number[] = [];
  const serverCpu: number[] = [];
  const bare: number[] = [];
  const version: number[] = [];
  const peer: number[] = [];
  let toolCount = 0;
  for (let i = 0; i < options.runs; i++) {
    const run = await serverToToolsList(env);
    server.push(run.ms);
    serverCpu.push(run.cpuMs);
    toolCount = run.tools;
    peer.push((await serverToToolsList(env, PEER)).ms);
    bare.push(await nodeToExit(["-e", "0"]));
    version.push(await nodeToExit([CLI, "--version"]));
  }
  const s = stats(server);
  const b = stats(bare);
  const v = stats(version);
  const c = stats(serverCpu);
  const p = stats(peer);
  note(
    `${options.runs} runs each, alternating; ${toolCount} tools listed; NECTAR_* env pointing at the simulator child.`,
  );
  table(
    ["what", "median ms", "p99 (max) ms", "min ms"],
    [
      ["node dist/servers/cli.js: spawn → tools/list answer", s.median, s.max, s.min],
      ["bare SDK stdio server, one zod tool (bench/peer-stdio.mjs): spawn → tools/list answer", p.median, p.max, p.min],
      ["node dist/servers/cli.js --version: spawn → exit", v.median, v.max, v.min],
      ["node -e 0: spawn → exit", b.median, b.max, b.min],
      ["server minus bare node (medians)", s.median - b.median, "–", "–"],
      ["server CPU (user+sys) spent by the tools/list answer", c.median, c.max, c.min],
    ],
  );
  const list: Target[] = [
    {
      section: "3. cold start",
      what: "spawn → tools/list (median)",
      target: "≤ 250 ms",
      measured: `${r(s.median, 0)} ms (bare node ${r(b.median, 0)} ms)`,
      pass: s.median <= 250,
    },
    {
      section: "3. cold start",
      what: "spawn → tools/list vs the bare SDK stdio peer (medians)",
      target: "faster",
      measured: `${r(s.median, 0)} vs ${r(p.median, 0)} ms (${r(s.median / p.median, 2)}×)`,
      pass: s.median < p.median,
    },
  ];
  targets(list);
  const round = (x: ReturnType<typeof stats>) => ({ median: r(x.median, 1), max: r(x.max, 1), min: r(x.min, 1) });
  return {
    json: {
      runs: options.runs,
      tools: toolCount,
      serverToToolsListMs: round(s),
      peerToToolsListMs: round(p),
      serverCpuMsAtToolsList: round(c),
      cliVersionMs: round(v),
      bareNodeMs: round(b),
      samples: { server: server.map((x) => r(x, 1)), bare: bare.map((x) => r(x, 1)) },
    },
    targets: list,
  };
}
