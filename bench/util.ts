// Small helpers shared by the bench sections: statistics, bounded waits, child processes
// that are always killed on exit, /proc readings, and the loopback listener.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { sleep, within } from "../test/helpers/wait.ts";

/** The built stdio/HTTP entry the children run; run.ts points it at a snapshot of dist/. */
export let CLI = "dist/servers/cli.js";

/**
 * Copy dist/ to node_modules/.cache (Node still resolves the packages from there) and run the
 * copy: a build started elsewhere during the bench (tsup cleans dist/ first) cannot pull the
 * files out from under a child. Waits, bounded, for a complete build.
 */
export async function snapshotDist(timeoutMs = 60_000): Promise<string> {
  const target = "node_modules/.cache/nectar-dxp-mcp-bench/dist";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      rmSync(target, { recursive: true, force: true });
      cpSync("dist", target, { recursive: true });
      const cli = `${target}/servers/cli.js`;
      execFileSync(process.execPath, [cli, "--version"], { stdio: "pipe", timeout: 10_000 });
      CLI = cli;
      return cli;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(
          `no complete build in dist/ (${error instanceof Error ? error.message : String(error)}): run npm run build`,
        );
      await sleep(1000);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Stats {
  n: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const median = (values: readonly number[]): number => stats(values).median;

/** Round for printing and JSON: 3 significant decimals below 10, fewer above. */
export function r(value: number, digits?: number): number {
  if (!Number.isFinite(value)) return value;
  const d = digits ?? (Math.abs(value) < 1 ? 3 : Math.abs(value) < 100 ? 2 : Math.abs(value) < 10_000 ? 1 : 0);
  const f = 10 ** d;
  return Math.round(value * f) / f;
}

// ---------------------------------------------------------------------------------------------
// Bounded waits

export { sleep, within };

// ---------------------------------------------------------------------------------------------
// Child processes: every child we start is killed when we exit, however we exit.

const children = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
}

process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

export interface Started<T> {
  child: ChildProcess;
  ready: T;
  stderr(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the child is gone. */
  stop(): Promise<void>;
}

/**
 * Spawn a Node child (with an IPC channel) and wait, bounded, until `isReady` accepts an IPC
 * message or a stderr line. A child that exits first rejects with its stderr.
 */
export function startNode<T>(
  args: string[],
  options: {
    env?: Record<string, string>;
    timeoutMs?: number;
    fromMessage?: (message: unknown) => T | undefined;
    fromStderr?: (stderr: string) => T | undefined;
  },
): Promise<Started<T>> {
  const child = track(
    spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    }),
  );
  let stderr = "";
  child.stdout?.resume();
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(killer);
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const ok = (ready: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ child, ready, stderr: () => stderr, stop });
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`node ${args.join(" ")} was not ready within ${timeoutMs} ms; stderr:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = options.fromStderr?.(stderr);
      if (ready !== undefined) ok(ready);
    });
    child.on("message", (message) => {
      const ready = options.fromMessage?.(message);
      if (ready !== undefined) ok(ready);
    });
    child.once("error", (error) => fail(error));
    void exited.then(() =>
      fail(
        new Error(
          `node ${args.join(" ")} exited (${child.exitCode ?? child.signalCode}) before it was ready; stderr:\n${stderr}`,
        ),
      ),
    );
  });
}

/** Send an IPC request to a child and wait (bounded) for the reply with the same id. */
let nextId = 1;
export function ask<T>(child: ChildProcess, message: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
  const id = nextId++;
  return within(
    timeoutMs,
    `IPC ${JSON.stringify(message.op)}`,
    new Promise<T>((resolve) => {
      const onMessage = (reply: unknown) => {
        if (typeof reply === "object" && reply !== null && (reply as { id?: unknown }).id === id) {
          child.off("message", onMessage);
          resolve(reply as T);
        }
      };
      child.on("message", onMessage);
      child.send({ ...message, id });
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// /proc (Linux): what a process costs, read from outside it.

export { cpuMs, ownCpuMs, rssBytes } from "../test/helpers/proc.ts";

// ---------------------------------------------------------------------------------------------
// Serving a fetch handler on loopback in this process.

export { type Listening, listen } from "../test/helpers/listen.ts";
