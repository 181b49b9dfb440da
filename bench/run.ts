// `npm run bench` (full) and `npm run bench:ci` (--quick): measures the server side by side
// with the DXP simulator on this machine and prints every figure beside the target of
// issue 4, then writes the same figures as JSON.
//
//   npx tsx bench/run.ts [--quick] [--out path] [--only 1,2,...]
//
// Needs the build (dist/servers/cli.js): the npm scripts build first. Full run: a few
// minutes; --quick: small sizes, a few seconds, every figure still printed (CI checks only
// that it completes). --out defaults to bench/results.json, or a file in the temp folder
// with --quick so that a quick run never replaces the full figures.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimChild } from "./children.ts";
import { coldStartSection } from "./cold-start.ts";
import { conversationSection } from "./conversation.ts";
import { type Dxp, startDxp } from "./in-process.ts";
import { memorySection } from "./memory.ts";
import { modernSection } from "./modern.ts";
import { overheadSection } from "./overhead.ts";
import { heading, mark, note, type Target, table } from "./report.ts";
import { roundTripSection } from "./round-trips.ts";
import { answerSizeSection, TOKENIZER, toolSurfaceSection } from "./sizes.ts";
import { throughputSection } from "./throughput.ts";
import { killChildren, snapshotDist } from "./util.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);

interface Flags {
  quick: boolean;
  out: string;
  only: Set<number> | undefined;
}

function readFlags(argv: string[]): Flags {
  let quick = false;
  let out: string | undefined;
  let only: Set<number> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--out" && argv[i + 1]) out = argv[++i];
    else if (arg.startsWith("--out=")) out = arg.slice(6);
    else if (arg === "--only" && argv[i + 1]) only = new Set(argv[++i]!.split(",").map(Number));
    else if (arg.startsWith("--only=")) only = new Set(arg.slice(7).split(",").map(Number));
    else throw new Error(`Unknown argument ${arg}. Usage: tsx bench/run.ts [--quick] [--out path] [--only 1,2,...]`);
  }
  return {
    quick,
    out: resolve(out ?? (quick ? join(os.tmpdir(), "nectar-dxp-mcp-bench-quick.json") : "bench/results.json")),
    only,
  };
}

const SIZES = {
  full: {
    simSessionsPerTenant: 20_000,
    // Steady state after 1,000 calls; calls 31–230 (what this bench measured before) reported beside it.
    overhead: { iterations: 300, warmup: 1000, earlyWindow: [30, 230] as const },
    throughput: { concurrency: [1, 16, 64], durationMs: 5000, warmupCalls: 3 },
    modern: { clients: 64, pairs: 6, roundMs: 3000, warmupCalls: 3 },
    coldStart: { runs: 10, warmup: true },
    memory: { sessions: 1000 },
    watchdogMs: 15 * 60_000,
  },
  quick: {
    simSessionsPerTenant: 2000,
    overhead: { iterations: 20, warmup: 5 },
    throughput: { concurrency: [1, 4, 16], durationMs: 300, warmupCalls: 1 },
    modern: { clients: 16, pairs: 2, roundMs: 300, warmupCalls: 1 },
    coldStart: { runs: 3, warmup: false },
    memory: { sessions: 200 },
    watchdogMs: 3 * 60_000,
  },
} as const;

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  const size = flags.quick ? SIZES.quick : SIZES.full;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${size.watchdogMs / 1000} s; stopping.\n`);
    killChildren();
    process.exit(1);
  }, size.watchdogMs);
  watchdog.unref();
  if (!existsSync("dist")) throw new Error("dist/ is missing: build first (npm run build), or use npm run bench.");
  const cli = await snapshotDist();

  const m = machine();
  const started = Date.now();
  process.stdout.write(
    `# nectar-dxp-mcp bench${flags.quick ? " (--quick: small sizes, figures indicative only)" : ""}\n`,
  );
  note(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}, ${m.os}; load average at start ${m.loadAverageAtStart.join(" ")}.`,
  );
  note(
    `Simulator: ${size.simSessionsPerTenant} sessions per tenant. Built server: a snapshot of dist/ taken at start (${cli}), so a concurrent rebuild cannot disturb the run.`,
  );

  const wanted = (n: number) => !flags.only || flags.only.has(n);
  const sections: Record<string, unknown> = {};
  const allTargets: Target[] = [];
  const failures: string[] = [];
  let dxp: Dxp | undefined;
  const inProcess = async () => (dxp ??= await startDxp(size.simSessionsPerTenant));
  let sim: Awaited<ReturnType<typeof startSimChild>> | undefined;
  const simChild = async () => (sim ??= await startSimChild(size.simSessionsPerTenant));

  const run = async (n: number, name: string, body: () => Promise<{ json: unknown; targets: Target[] }>) => {
    if (!wanted(n)) return;
    const t0 = Date.now();
    try {
      const result = await body();
      note(`(section ${n} took ${Math.round((Date.now() - t0) / 100) / 10} s)`);
      sections[name] = result.json;
      allTargets.push(...result.targets);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${n}. ${name}: ${message}`);
      process.stdout.write(`\n!! section ${n} (${name}) failed: ${message}\n`);
    }
  };

  try {
    await run(1, "overhead", async () => overheadSection(await inProcess(), size.overhead));
    await run(2, "throughput", async () => throughputSection(await simChild(), size.throughput));
    await run(3, "coldStart", async () => coldStartSection(await simChild(), size.coldStart));
    await run(4, "memory", async () => memorySection(size.memory));
    await run(5, "answerSize", async () => answerSizeSection(await inProcess()));
    await run(6, "toolSurface", async () => toolSurfaceSection(await inProcess()));
    await run(7, "upstreamCalls", async () => conversationSection(await inProcess()));
    await run(8, "modernVsPeer", async () => modernSection(await simChild(), size.modern));
    await run(9, "roundTrips", async () => roundTripSection(await inProcess()));
  } finally {
    await sim?.stop().catch(() => {});
    await dxp?.http.close().catch(() => {});
  }

  const loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  heading("Summary");
  note(
    `Machine: ${m.cores} cores (${m.cpu}), Node ${m.node}; load average ${m.loadAverageAtStart[0]} at start, ${loadAtEnd[0]} at end.${flags.quick ? " Quick mode: small sizes; only completion is checked." : ""}`,
  );
  if (Math.max(m.loadAverageAtStart[0]!, loadAtEnd[0]!) > 0.5 * m.cores) {
    note(
      "Other work shared the machine during the run (load average above half the cores): wall-clock figures are inflated; the CPU-time columns much less so.",
    );
  }
  table(
    ["section", "what", "target", "measured", ""],
    allTargets.map((t) => [t.section, t.what, t.target, t.measured, mark(t.pass)]),
  );
  const passed = allTargets.filter((t) => t.pass).length;
  note(
    `${passed}/${allTargets.length} targets met${failures.length ? `; ${failures.length} section(s) FAILED to run` : ""}. ${Math.round((Date.now() - started) / 100) / 10} s.`,
  );

  const results = {
    generatedAt: new Date(started).toISOString(),
    mode: flags.quick ? "quick" : "full",
    machine: { ...m, loadAverageAtEnd: loadAtEnd },
    tokenizer: TOKENIZER,
    sizes: size,
    sections,
    targets: allTargets,
    failures,
  };
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify(results, null, 2)}\n`);
  note(`Figures written to ${flags.out}.`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => {
    killChildren();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killChildren();
    process.exit(1);
  },
);
