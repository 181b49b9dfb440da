// Section 4: what an idle MCP session costs the built HTTP server. Sessions are opened with
// a raw `initialize` POST each; the server runs with --expose-gc and a preload
// (bench/mem-probe.cjs) that, on request, collects garbage and reports heap figures; RSS is
// read from /proc/<pid>/status, from outside.
import { startBuiltHttp } from "./children.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { ask, r, rssBytes, sleep } from "./util.ts";

export interface MemoryOptions {
  sessions: number;
}

interface Mem {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  gc: boolean;
}

const HEADERS = { "content-type": "application/json", accept: "application/json" };
const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench-idle", version: "1.0" } },
};

async function openSessions(url: string, count: number, parallel = 16): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - start) }, async () => {
        const response = await fetch(`${url}/mcp`, {
          method: "POST",
          headers: HEADERS,
          body: JSON.stringify(initialize),
          signal: AbortSignal.timeout(15_000),
        });
        await response.arrayBuffer();
        const id = response.headers.get("mcp-session-id");
        if (response.status !== 200 || !id)
          throw new Error(`initialize answered ${response.status} without a session id`);
        return id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

export async function memorySection(options: MemoryOptions) {
  heading(`4. Memory: the built HTTP server with ${options.sessions} idle MCP sessions`);
  // RSS climbs for the first ~150 requests (JIT code, heap growth) and is flat after: the
  // baseline is taken past that, so the figure is the marginal cost of a session.
  const warmup = Math.min(200, Math.max(100, Math.ceil(options.sessions / 5)));
  const server = await startBuiltHttp(["--expose-gc", "--require", "./bench/mem-probe.cjs"]);
  const measure = async (): Promise<Mem> => {
    const inside = await ask<Mem>(server.started.child, { op: "mem" });
    await sleep(50);
    return { ...inside, rss: rssBytes(server.pid) };
  };
  let before: Mem;
  let after: Mem;
  let sessionsAtEnd: number | undefined;
  try {
    // Warm up the request path (JIT, pools) before the baseline, with sessions that stay open.
    await openSessions(server.url, warmup);
    before = await measure();
    await openSessions(server.url, options.sessions);
    after = await measure();
    const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5000) });
    sessionsAtEnd = ((await ready.json()) as { sessions?: number }).sessions;
  } finally {
    await server.started.stop();
  }
  const perSessionRss = (after.rss - before.rss) / options.sessions;
  const perSessionHeap = (after.heapUsed - before.heapUsed) / options.sessions;
  note(
    `Server: node --expose-gc --require bench/mem-probe.cjs dist/servers/cli.js --http; sessions opened by raw POST initialize (16 at a time), ` +
      `${warmup} warm-up sessions opened before the baseline; full GC before each reading${before.gc ? "" : " (gc unavailable!)"}; RSS from /proc/<pid>/status. ` +
      `Sessions open at the end (GET /readyz): ${sessionsAtEnd ?? "n/a"}.`,
  );
  const mb = (bytes: number) => r(bytes / 1048576, 1);
  table(
    ["", "RSS MB", "heapUsed MB", "heapTotal MB", "external MB"],
    [
      [
        `before (${warmup} warm-up sessions)`,
        mb(before.rss),
        mb(before.heapUsed),
        mb(before.heapTotal),
        mb(before.external),
      ],
      [
        `after +${options.sessions} sessions`,
        mb(after.rss),
        mb(after.heapUsed),
        mb(after.heapTotal),
        mb(after.external),
      ],
      [
        "per session, KB",
        r(perSessionRss / 1024, 2),
        r(perSessionHeap / 1024, 2),
        r((after.heapTotal - before.heapTotal) / options.sessions / 1024, 2),
        r((after.external - before.external) / options.sessions / 1024, 2),
      ],
    ],
  );
  const list: Target[] = [
    {
      section: "4. memory",
      what: "RSS per idle session",
      target: "≤ 50 KB",
      measured: `${r(perSessionRss / 1024, 2)} KB RSS (${r(perSessionHeap / 1024, 2)} KB heap); ${mb(after.rss)} MB total`,
      pass: perSessionRss / 1024 <= 50,
    },
  ];
  targets(list);
  return {
    json: {
      sessions: options.sessions,
      sessionsOpenAtEnd: sessionsAtEnd,
      before: {
        rssBytes: before.rss,
        heapUsedBytes: before.heapUsed,
        heapTotalBytes: before.heapTotal,
        externalBytes: before.external,
      },
      after: {
        rssBytes: after.rss,
        heapUsedBytes: after.heapUsed,
        heapTotalBytes: after.heapTotal,
        externalBytes: after.external,
      },
      perSessionKb: { rss: r(perSessionRss / 1024, 3), heapUsed: r(perSessionHeap / 1024, 3) },
    },
    targets: list,
  };
}
