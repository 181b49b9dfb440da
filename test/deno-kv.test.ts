// The Deno shell with NECTAR_DENO_KV: two Deno processes (servers/deno-http.ts, net allowed
// to 127.0.0.1 only) share one Deno KV file in a temp dir, the way Deno Deploy's isolates
// share one database and Node replicas share Redis (test/redis-stores.test.ts). A filterId
// saved through one is found through the other, a 2025-era session continues on the other,
// and a credential both see rejected at once is renewed once (the simulator counts refreshes).
// The KV filter store holds a caller to its quota (the check the memory and Redis stores
// run too), also when two processes save for that caller at once.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ENDPOINTS } from "../lib/client/endpoints.ts";
import { readConfig } from "../lib/config.ts";
import { type RunningSimulator, startSimulator } from "../servers/start-simulator.ts";
import { assertQuotaHeld, QUOTA_BYTES, type QuotaOutcome, quotaFilter } from "./helpers/filter-quota.ts";

const SECRET = "deno-kv-test-secret-0123456789abcdef0123";
const START_MS = 90_000; // a cold Deno cache transpiles the sources first: a hang guard, not a speed check
const SHELL = new URL("../servers/deno-http.ts", import.meta.url).pathname;
const RACER = new URL("./helpers/kv-renew-race.ts", import.meta.url).pathname;
const QUOTA = new URL("./helpers/kv-filter-quota.ts", import.meta.url).pathname;
const textOf = (result: unknown): string =>
  (result as { content: { text?: string }[] }).content.map((c) => c.text ?? "").join("\n");

const dir = mkdtempSync(join(tmpdir(), "nectar-deno-kv-"));
const kvFile = join(dir, "kv.sqlite");
const children: ChildProcess[] = [];

/** `npx deno run --unstable-kv` with net to 127.0.0.1 only and file access to the temp dir only. */
function deno(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(
    "npx",
    [
      "deno",
      "run",
      "--unstable-kv",
      "--allow-net=127.0.0.1",
      "--allow-env",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      script,
      ...args,
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true, // its own process group: npx and deno stop together
    },
  );
  children.push(child);
  return child;
}

/** Resolves with the first match of `pattern` in the child's `stream`; rejects if it exits first. */
function waitFor(child: ChildProcess, stream: "stdout" | "stderr", pattern: RegExp): Promise<RegExpExecArray> {
  let text = "";
  let other = "";
  child[stream === "stdout" ? "stderr" : "stdout"]!.on("data", (chunk: Buffer) => (other += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${START_MS} ms:\n${text}\n${other}`)),
      START_MS,
    );
    child[stream]!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${pattern}:\n${text}\n${other}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch (error) {
    // The group ended between the check above and the kill (a racer exits by itself once it has printed).
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return Promise.resolve();
    throw error;
  }
  return exited;
}

describe("the Deno shell on a shared Deno KV (NECTAR_DENO_KV)", { timeout: 180_000 }, () => {
  let sim: RunningSimulator;
  let shells: string[];
  /** Requests each shell answered, by index. */
  const served = [0, 0];

  before(async () => {
    sim = await startSimulator({ sessionsPerTenant: 300 });
    const env = {
      FASTMCP_HOST: "127.0.0.1",
      FASTMCP_PORT: "0",
      NECTAR_DXP_URL: sim.url,
      NECTAR_DENO_KV: kvFile,
      NECTAR_STORE_SECRET: SECRET,
    };
    const started = [deno(SHELL, [], env), deno(SHELL, [], env)];
    shells = await Promise.all(
      started.map(
        async (child) => `http://127.0.0.1:${(await waitFor(child, "stderr", /listening on 127\.0\.0\.1:(\d+)/))[1]}`,
      ),
    );
  });

  after(async () => {
    for (const child of children) await stop(child);
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const credentials = (subject: string) => {
    const tokens = sim.simulator.issueTokens({ subject });
    return {
      "X-Nectar-Access-Token": tokens.accessToken,
      "X-Nectar-Refresh-Token": tokens.refreshToken,
      "X-Nectar-Domain-Name": "acme",
    };
  };
  const modern = async (shell: number, headers: Record<string, string>) => {
    const client = new ModernClient(
      { name: `shell-${shell}`, version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    await client.connect(new ModernTransport(new URL(`${shells[shell]}/mcp`), { requestInit: { headers } }));
    return client;
  };

  it("finds a filterId saved through one process through the other, and only for its owner", async () => {
    const headers = credentials("kv-filter-owner");
    const saver = await modern(0, headers);
    const reader = await modern(1, headers);
    const stranger = await modern(1, credentials("kv-filter-stranger"));
    try {
      const saved = await saver.callTool({ name: "set_session_filter", arguments: { qualities: ["CRITICAL"] } });
      const filterId = (saved.structuredContent as { filterId: string }).filterId;
      const found = await reader.callTool({ name: "get_session_histogram", arguments: { filterId } });
      assert.equal(found.isError, undefined, textOf(found));
      assert.match(textOf(found), /qualities CRITICAL/);
      const stolen = await stranger.callTool({ name: "get_session_histogram", arguments: { filterId } });
      assert.equal(stolen.isError, true);
      assert.match(textOf(stolen), /was not found/);
    } finally {
      await Promise.all([saver.close(), reader.close(), stranger.close()]);
    }
  });

  it("continues a 2025-era session created on one process on the other, its filter kept", async () => {
    let next = 0;
    // Round-robin, no affinity: each request of the session goes to the other process.
    const alternate: typeof fetch = (input, init) => {
      const i = next++ % 2;
      served[i]! += 1;
      const url = new URL(input instanceof Request ? input.url : String(input));
      return fetch(`${shells[i]}${url.pathname}${url.search}`, init);
    };
    const client = new LegacyClient({ name: "legacy", version: "1.0.0" });
    const transport = new LegacyTransport(new URL(`${shells[0]}/mcp`), {
      requestInit: { headers: credentials("kv-session") },
      fetch: alternate,
    });
    await client.connect(transport);
    try {
      assert.ok(transport.sessionId, "a 2025-era session id");
      await client.callTool({ name: "set_session_filter", arguments: { platforms: ["TEAMS"] } });
      for (let i = 0; i < 4; i++) {
        const answer = await client.callTool({ name: "get_session_summary", arguments: {} });
        assert.equal(answer.isError, undefined, textOf(answer));
        assert.match(textOf(answer), /platforms TEAMS/, `call ${i} kept the session's filter`);
      }
      assert.ok(served[0]! > 2 && served[1]! > 2, `both processes served the session (${served.join(", ")})`);
    } finally {
      await client.close();
    }
  });

  it("renews a credential once when both processes see it rejected at once, and both use the renewal", async () => {
    const headers = credentials("kv-renewal");
    const clients = [await modern(0, headers), await modern(1, headers)];
    try {
      sim.simulator.clearRequests();
      // The next two DXP reads answer 401 (the access token expires), held until both have arrived, so
      // both processes are in flight together however slowly the machine runs either.
      sim.simulator.setFaults({ gather: 2, failNext: [{ kind: "expire-token" }, { kind: "expire-token" }] });
      const answers = await Promise.all(
        clients.map((client) => client.callTool({ name: "get_tenant_names", arguments: {} })),
      );
      for (const answer of answers) assert.equal(answer.isError, undefined, textOf(answer));
      const refreshPath = `/${ENDPOINTS.tokenRefresh.path}`;
      const refreshes = sim.simulator.requests.filter((r) => r.path === refreshPath);
      assert.deepEqual(
        refreshes.map((r) => r.status),
        [200],
        "one upstream refresh, granted (a second would spend the rotated token: 401)",
      );
      const rejected = sim.simulator.requests.filter((r) => r.path !== refreshPath && r.status === 401);
      assert.equal(rejected.length, 2, "both processes saw the 401");
      const retried = new Set(
        sim.simulator.requests.filter((r) => r.path !== refreshPath && r.status === 200).map((r) => r.token),
      );
      assert.equal(retried.size, 1, "both retried with the same renewed token");
      assert.ok(!retried.has(headers["X-Nectar-Access-Token"]));
    } finally {
      sim.simulator.clearFaults();
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it("takes the renewal lock with KV's atomic check: two processes racing renew once", async () => {
    const racers = [deno(RACER, [join(dir, "race.sqlite")], {}), deno(RACER, [join(dir, "race.sqlite")], {})];
    await Promise.all(racers.map((racer) => waitFor(racer, "stdout", /^ready$/m)));
    const results = racers.map((racer) => waitFor(racer, "stdout", /^(\{.*\})$/m));
    for (const racer of racers) racer.stdin!.end("go\n");
    const outcomes = (await Promise.all(results)).map(
      (m) => JSON.parse(m[1]!) as { refreshes: number; tokens: string[] },
    );
    assert.equal(
      outcomes.reduce((sum, o) => sum + o.refreshes, 0),
      1,
      "one refresh across both processes",
    );
    assert.equal(new Set(outcomes.flatMap((o) => o.tokens)).size, 1, "every caller got the one renewal");
  });

  it("holds a caller to its quota, as the memory and Redis stores do", async () => {
    const run = deno(QUOTA, [join(dir, "quota.sqlite"), "contract"], {});
    run.stdin!.end();
    const outcome = JSON.parse((await waitFor(run, "stdout", /^(\{.*\})$/m))[1]!) as QuotaOutcome;
    assertQuotaHeld(outcome);
  });

  it("two processes saving for one caller at once share its quota", async () => {
    const file = join(dir, "quota-race.sqlite");
    const racers = [
      deno(QUOTA, [file, "flood", "racing-owner", "one"], {}),
      deno(QUOTA, [file, "flood", "racing-owner", "two"], {}),
    ];
    await Promise.all(racers.map((racer) => waitFor(racer, "stdout", /^ready$/m)));
    const results = racers.map((racer) => waitFor(racer, "stdout", /^(\{.*\})$/m));
    for (const racer of racers) racer.stdin!.end("go\n");
    const outcomes = (await Promise.all(results)).map((m) => JSON.parse(m[1]!) as { kept: number[]; failed: string[] });
    assert.deepEqual(
      outcomes.flatMap((o) => o.failed),
      [],
      "no other error than the budget's",
    );
    const kept = outcomes.reduce((n, o) => n + o.kept.length, 0);
    const bytes = kept * JSON.stringify(quotaFilter("one", 0)).length;
    assert.ok(
      kept > 0 && bytes <= QUOTA_BYTES,
      `both processes together kept ${kept} filters (${bytes} bytes) under a ${QUOTA_BYTES}-byte quota`,
    );
  });
});

describe("NECTAR_DENO_KV misconfigured", { timeout: 180_000 }, () => {
  const exitOf = (child: ChildProcess) => {
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.once("exit", (code) => resolve({ code, stderr })),
    );
  };

  it("is refused without NECTAR_STORE_SECRET, naming both variables", () => {
    assert.throws(
      () => readConfig({ NECTAR_DENO_KV: kvFile }),
      /NECTAR_STORE_SECRET is required with NECTAR_DENO_KV, at least 32 characters/,
    );
  });

  it("tells a Deno run without --unstable-kv to add it (exit 2, no stack trace)", async () => {
    const child = spawn("npx", ["deno", "run", "--allow-net=127.0.0.1", "--allow-env", SHELL], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
        FASTMCP_HOST: "127.0.0.1",
        FASTMCP_PORT: "0",
        NECTAR_DENO_KV: kvFile,
        NECTAR_STORE_SECRET: SECRET,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const { code, stderr } = await exitOf(child);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /NECTAR_DENO_KV needs Deno KV.*Add --unstable-kv/);
    assert.doesNotMatch(stderr, /\bat \S+:\d+:\d+/);
  });

  it("is refused by the Node HTTP shell, which shares state on Redis instead", async () => {
    const child = spawn(process.execPath, [new URL("../dist/servers/cli.js", import.meta.url).pathname, "--http"], {
      env: {
        PATH: process.env.PATH ?? "",
        FASTMCP_HOST: "127.0.0.1",
        FASTMCP_PORT: "0",
        NECTAR_DENO_KV: kvFile,
        NECTAR_STORE_SECRET: SECRET,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const { code, stderr } = await exitOf(child);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /NECTAR_DENO_KV is read by the Deno shell only.*NECTAR_REDIS_URL/);
  });
});
