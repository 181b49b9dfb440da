// Redis faults, on a real redis-server: unreachable at start (a clear log line, /readyz
// 503 until it is up), lost mid-run (an honest, retryable tool error; a renewal the DXP
// granted is kept and written back), slow (a paused redis-server: every wait is bounded by
// the command timeout). Servers on loopback, ephemeral ports; Redis on a unix socket.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { createHttpApp } from "../lib/http/app.ts";
import { silentLogger } from "../lib/logger.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { createSimulator } from "../lib/simulator/index.ts";
import { RedisTokenStore } from "../lib/store/redis-token-store.ts";
import { redisStores } from "../lib/store/shared-stores.ts";
import { StoreUnavailableError } from "../lib/store/store-error.ts";
import { connectRedis, type RedisConnection } from "../servers/redis.ts";
import { listen } from "./helpers/listen.ts";
import { type RedisProcess, redisServer } from "./helpers/redis-server.ts";

const CLI = new URL("../dist/servers/cli.js", import.meta.url).pathname;
const SECRET = "test-secret-0123456789abcdef0123456789";
const loopback = { allowLoopbackHttp: true };
const textOf = (result: unknown): string =>
  (result as { content: { text?: string }[] }).content.map((c) => c.text ?? "").join("\n");

/** Poll (bounded: a hang guard, not a timing assertion) until `check` holds. */
async function eventually(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`${what} never happened`);
}

describe("Redis faults", () => {
  let redis: RedisProcess;
  const connections: RedisConnection[] = [];
  const children = new Set<ChildProcess>();

  const connect = async (commandTimeoutMs?: number) => {
    const connection = connectRedis(redis.socket, silentLogger, { commandTimeoutMs });
    connections.push(connection);
    await eventually("connecting to redis-server", connection.ready);
    return connection;
  };

  before(async () => {
    redis = redisServer();
  });

  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    for (const c of connections) await c.close();
    await redis?.dispose();
  });

  function startServer(
    env: Record<string, string>,
  ): Promise<{ url: string; stderr: () => string; process: ChildProcess }> {
    const child = spawn(process.execPath, [CLI, "--http"], {
      env: { PATH: process.env.PATH ?? "", FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: "0", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.add(child);
    child.once("exit", () => children.delete(child));
    let stderr = "";
    return new Promise((resolve, reject) => {
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stderr: () => stderr, process: child });
      });
      child.once("exit", (code) => reject(Object.assign(new Error(`exited ${code}: ${stderr}`), { code, stderr })));
    });
  }

  it("refuses to start with NECTAR_REDIS_URL but no NECTAR_STORE_SECRET, saying why", async () => {
    const failed = await startServer({ NECTAR_REDIS_URL: redis.socket }).then(
      () => assert.fail("started"),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /NECTAR_STORE_SECRET is required with NECTAR_REDIS_URL/);
  });

  it("starts with Redis unreachable: says so clearly, answers /readyz 503, and becomes ready once Redis is up", async () => {
    const server = await startServer({ NECTAR_REDIS_URL: redis.socket, NECTAR_STORE_SECRET: SECRET });
    try {
      await eventually("the unreachable line", () =>
        /Redis at .* is unreachable .*\/readyz answers 503/.test(server.stderr()),
      );
      assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      await redis.start();
      await eventually("/readyz 200", async () => (await fetch(`${server.url}/readyz`)).status === 200);
      assert.doesNotMatch(server.stderr(), new RegExp(SECRET));
    } finally {
      server.process.kill("SIGKILL");
    }
  });

  it("answers a tool call with an honest, retryable error while Redis is lost, and serves again once it is back", async () => {
    const sim = createSimulator({ sessionsPerTenant: 100 });
    const upstream = await listen(sim.fetch);
    // A command timeout a starved CPU does not reach while Redis is up; a lost Redis still
    // fails every command within it.
    const connection = await connect(5000);
    const stores = redisStores(connection.redis, { secret: SECRET, ready: connection.ready });
    const { app } = createHttpApp({
      environment: { url: upstream.url },
      urlPolicy: loopback,
      clients: new ClientPool({
        urlPolicy: loopback,
        keys: stores.keys,
        tokenStore: stores.tokens,
        answerStore: stores.answers,
        cache: { ttlMs: 0 },
      }),
      sessions: stores.sessions,
      filters: stores.filters,
      storeReady: stores.ready,
      allowedHosts: [],
      allowedOrigins: [],
    });
    const server = await listen(app.fetch);
    const tokens = sim.issueTokens();
    const client = new ModernClient({ name: "m", version: "1" }, { versionNegotiation: { mode: "auto" } });
    const headers = {
      "X-Nectar-Access-Token": tokens.accessToken,
      "X-Nectar-Refresh-Token": tokens.refreshToken,
      "X-Nectar-Domain-Name": "acme",
    };
    await client.connect(new ModernTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }));
    try {
      const saved = await client.callTool({ name: "set_session_filter", arguments: { platforms: ["TEAMS"] } });
      const filterId = (saved.structuredContent as { filterId: string }).filterId;
      await redis.stop();
      await eventually("/readyz 503", async () => (await fetch(`${server.url}/readyz`)).status === 503);
      const lost = await client.callTool({ name: "get_session_summary", arguments: { filterId } });
      assert.equal(lost.isError, true);
      assert.match(textOf(lost), /shared store did not answer .* retry in a few seconds/);
      assert.doesNotMatch(textOf(lost), /TEAMS|acme/);
      await redis.start();
      await eventually("/readyz 200", async () => (await fetch(`${server.url}/readyz`)).status === 200);
      // Redis came back empty (no persistence): the handle is gone and says so, never another's.
      const after = await client.callTool({ name: "get_session_summary", arguments: { filterId } });
      assert.match(textOf(after), /was not found/);
      const plain = await client.callTool({ name: "get_session_summary", arguments: { platforms: ["TEAMS"] } });
      assert.equal(plain.isError, undefined, textOf(plain));
    } finally {
      await client.close();
      await server.close();
      await upstream.close();
    }
  });

  it("keeps a renewal the DXP granted when Redis is lost before it is written, and writes it back when Redis returns", async () => {
    const replica = new RedisTokenStore((await connect(500)).redis);
    const record = await replica.renew(
      "lost-write",
      "original",
      async () => {
        await redis.stop(); // Redis goes away while the refresh call is in flight
        return { accessToken: "renewed", refreshToken: "rotated-once", refreshes: 1 };
      },
      60_000,
    );
    assert.equal(record.refreshToken, "rotated-once");
    assert.equal((await replica.get("lost-write"))?.refreshToken, "rotated-once", "served from this process meanwhile");
    await redis.start();
    const other = new RedisTokenStore((await connect(500)).redis);
    await eventually("the renewal written back", async () => {
      await replica.get("lost-write").catch(() => undefined);
      return (await other.get("lost-write").catch(() => undefined))?.refreshToken === "rotated-once";
    });
  });

  it("bounds every wait on a paused (slow) Redis by the command timeout, then recovers", async () => {
    const replica = new RedisTokenStore((await connect(300)).redis);
    redis.pause();
    try {
      await assert.rejects(replica.get("slow"), StoreUnavailableError);
      let renewed = 0;
      await assert.rejects(
        replica.renew("slow", undefined, async () => ({ accessToken: "x", refreshes: ++renewed }), 60_000),
        StoreUnavailableError,
      );
      assert.equal(renewed, 0, "no refresh went upstream without the lock");
    } finally {
      redis.resume();
    }
    await eventually(
      "Redis answering again",
      async () =>
        await replica.get("slow").then(
          () => true,
          () => false,
        ),
    );
  });
});
