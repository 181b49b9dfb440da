// The child processes the bench runs: the DXP simulator, the HTTP app with the bench's
// client options, and the built server (`dist/servers/cli.js --http`) as it ships.
import type { ChildProcess } from "node:child_process";
import { ask, CLI, type Started, startNode } from "./util.ts";

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
}

export interface SimChild {
  url: string;
  pid: number;
  child: ChildProcess;
  tokens(count: number): Promise<TokenGrant[]>;
  count(): Promise<number>;
  requests(
    since: number,
  ): Promise<{ method: string; path: string; query: Record<string, string>; token: string | null }[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

const readyUrl = (message: unknown): string | undefined =>
  typeof message === "object" && message !== null && (message as { ready?: unknown }).ready
    ? String((message as { url: string }).url)
    : undefined;

export async function startSimChild(sessionsPerTenant: number): Promise<SimChild> {
  const started = await startNode<string>(["--import", "tsx", "bench/sim-child.ts"], {
    env: { BENCH_SIM_SESSIONS: String(sessionsPerTenant) },
    fromMessage: readyUrl,
  });
  const { child } = started;
  return {
    url: started.ready,
    pid: child.pid!,
    child,
    tokens: async (count) => (await ask<{ tokens: TokenGrant[] }>(child, { op: "tokens", count })).tokens,
    count: async () => (await ask<{ count: number }>(child, { op: "count" })).count,
    requests: async (since) => (await ask<{ requests: [] }>(child, { op: "requests", since })).requests,
    clear: async () => void (await ask(child, { op: "clear" })),
    stop: started.stop,
  };
}

export interface ServerChild {
  url: string;
  pid: number;
  started: Started<string>;
}

/** lib/http's app in a child, its ClientPool with the answer cache off (see http-child.ts). */
export async function startHttpChild(): Promise<ServerChild> {
  // BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under test.
  const extra = process.env.BENCH_CHILD_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const started = await startNode<string>([...extra, "--import", "tsx", "bench/http-child.ts"], {
    env: { BENCH_CACHE: "off", NECTAR_ALLOW_LOOPBACK_HTTP: "true" },
    fromMessage: readyUrl,
  });
  return { url: started.ready, pid: started.child.pid!, started };
}

/** The built HTTP server with its shipped defaults; `nodeArgs` go before the script (e.g. --expose-gc). */
export async function startBuiltHttp(nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<ServerChild> {
  const started = await startNode<string>([...nodeArgs, CLI, "--http"], {
    env: { FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: "0", NECTAR_ALLOW_LOOPBACK_HTTP: "true", ...env },
    fromStderr: (stderr) => {
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
      return port ? `http://127.0.0.1:${port}` : undefined;
    },
  });
  return { url: started.ready, pid: started.child.pid!, started };
}

/** The bare SDK v2 peer (bench/peer-child.ts): one tool making `upstreamUrl`'s GET, a server per request. */
export async function startPeerChild(upstreamUrl: string): Promise<ServerChild> {
  const extra = process.env.BENCH_CHILD_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const started = await startNode<string>([...extra, "--import", "tsx", "bench/peer-child.ts"], {
    env: { BENCH_UPSTREAM_URL: upstreamUrl },
    fromMessage: readyUrl,
  });
  return { url: started.ready, pid: started.child.pid!, started };
}
