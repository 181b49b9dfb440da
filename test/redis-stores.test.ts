// The shared stores on a real redis-server (Debian's, on a unix socket in a temp dir):
// two in-process replicas behind a round-robin front serve the same callers without
// affinity; renewals of one credential happen once across replicas; keys are keyed
// hashes or random ids, each with a TTL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createHttpApp } from "../lib/http/app.ts";
import { silentLogger } from "../lib/logger.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { createSimulator } from "../lib/simulator/index.ts";
import type { TokenRecord } from "../lib/store/interfaces.ts";
import { RedisTokenStore } from "../lib/store/redis-token-store.ts";
import { redisStores } from "../lib/store/shared-stores.ts";
import { connectRedis, type RedisConnection } from "../servers/redis.ts";
import { assertQuotaHeld, filterQuotaOutcome } from "./helpers/filter-quota.ts";
import { type Listening, listen } from "./helpers/listen.ts";
import { type RedisProcess, redisServer } from "./helpers/redis-server.ts";

const loopback = { allowLoopbackHttp: true };
const SECRET = "test-secret-0123456789abcdef0123456789";
const textOf = (result: unknown): string =>
  (result as { content: { text?: string }[] }).content.map((c) => c.text ?? "").join("\n");

describe("shared stores on Redis", () => {
  let redis: RedisProcess;
  const connections: RedisConnection[] = [];
  let upstream: Listening;
  let front: Listening;
  let tokens: { accessToken: string; refreshToken: string };
  let served: number[];

  const connect = async () => {
    const connection = connectRedis(redis.socket, silentLogger);
    connections.push(connection);
    for (let i = 0; i < 400 && !connection.ready(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(connection.ready(), "connected to the test's redis-server");
    return connection;
  };

  before(async () => {
    redis = redisServer();
    await redis.start();
    const sim = createSimulator({ sessionsPerTenant: 300 });
    upstream = await listen(sim.fetch);
    tokens = sim.issueTokens();
    // Two replicas, each with its own connection, pool and memory; only Redis is shared.
    const replicas: { fetch(request: Request): Response | Promise<Response> }[] = [];
    for (let i = 0; i < 2; i++) {
      const connection = await connect();
      const stores = redisStores(connection.redis, { secret: SECRET, ready: connection.ready });
      const { app } = createHttpApp({
        environment: { url: upstream.url },
        urlPolicy: loopback,
        clients: new ClientPool({
          urlPolicy: loopback,
          timeoutMs: 30_000,
          retryDelayMs: 20,
          keys: stores.keys,
          tokenStore: stores.tokens,
          answerStore: stores.answers,
        }),
        sessions: stores.sessions,
        filters: stores.filters,
        storeReady: stores.ready,
        allowedHosts: [],
        allowedOrigins: [],
      });
      replicas.push(app);
    }
    served = [0, 0];
    let next = 0;
    front = await listen((request) => {
      const i = next++ % replicas.length;
      served[i]! += 1;
      return replicas[i]!.fetch(request);
    });
  });

  after(async () => {
    await front?.close();
    await upstream?.close();
    for (const c of connections) await c.close();
    await redis?.dispose();
  });

  const headers = () => ({
    "X-Nectar-Access-Token": tokens.accessToken,
    "X-Nectar-Refresh-Token": tokens.refreshToken,
    "X-Nectar-Domain-Name": "acme",
  });

  it("serves a 2025-era session from either replica, its filter kept between calls", async () => {
    const client = new LegacyClient({ name: "legacy", version: "1.0.0" });
    await client.connect(new LegacyTransport(new URL(`${front.url}/mcp`), { requestInit: { headers: headers() } }));
    try {
      await client.callTool({ name: "set_session_filter", arguments: { platforms: ["TEAMS"] } });
      for (let i = 0; i < 4; i++) {
        const answer = await client.callTool({ name: "get_session_summary", arguments: {} });
        assert.match(textOf(answer), /platforms TEAMS/, `call ${i} kept the session's filter`);
      }
      assert.ok(served[0]! > 0 && served[1]! > 0, "both replicas served");
    } finally {
      await client.close();
    }
  });

  it("finds a filterId saved on one replica on the other, and only for its owner", async () => {
    const client = new ModernClient({ name: "modern", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(new ModernTransport(new URL(`${front.url}/mcp`), { requestInit: { headers: headers() } }));
    const stranger = new ModernClient({ name: "stranger", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await stranger.connect(
      new ModernTransport(new URL(`${front.url}/mcp`), {
        requestInit: { headers: { "X-Nectar-Domain-Name": "acme" } },
      }),
    );
    try {
      const saved = await client.callTool({ name: "set_session_filter", arguments: { qualities: ["CRITICAL"] } });
      const filterId = (saved.structuredContent as { filterId: string }).filterId;
      for (let i = 0; i < 3; i++) {
        assert.match(
          textOf(await client.callTool({ name: "get_session_histogram", arguments: { filterId } })),
          /qualities CRITICAL/,
        );
      }
      const stolen = await stranger.callTool({ name: "get_session_histogram", arguments: { filterId } });
      assert.equal(stolen.isError, true);
      assert.match(textOf(stolen), /was not found/);
    } finally {
      await client.close();
      await stranger.close();
    }
  });

  it("holds a caller to its filter quota, as the memory store does", async () => {
    const connection = await connect();
    assertQuotaHeld(
      await filterQuotaOutcome(redisStores(connection.redis, { secret: SECRET, ready: connection.ready }).filters),
    );
  });

  it("keeps every key a random id or a keyed hash with a TTL, never a raw token", async () => {
    const { redis: r } = connections[0]!;
    const keys = (await r.eval("return redis.call('KEYS', 'nectar:*')", [], [])) as string[];
    assert.ok(
      keys.some((k) => k.startsWith("nectar:session:")) &&
        keys.some((k) => k.startsWith("nectar:filter:")) &&
        keys.some((k) => k.startsWith("nectar:answer:")),
    );
    for (const key of keys) {
      assert.ok(
        !key.includes(tokens.accessToken) && !key.includes(tokens.refreshToken),
        `${key.slice(0, 40)} holds no token`,
      );
      const ttl = Number(await r.eval("return redis.call('PTTL', KEYS[1])", [key], []));
      assert.ok(ttl > 0, `${key.slice(0, 40)} has a TTL`);
    }
  });

  it("renews a credential once across replicas racing for it, and both use the result", async () => {
    const a = new RedisTokenStore((await connect()).redis, { pollMs: 10 });
    const b = new RedisTokenStore((await connect()).redis, { pollMs: 10 });
    let upstreamRefreshes = 0;
    const renew = async (current: TokenRecord | undefined): Promise<TokenRecord> => {
      upstreamRefreshes += 1;
      await new Promise((r) => setTimeout(r, 50)); // the refresh call takes a while: the other replica waits
      return { accessToken: "renewed-1", refreshToken: "rotated-1", refreshes: (current?.refreshes ?? 0) + 1 };
    };
    const results = await Promise.all([
      a.renew("race", "original", renew, 60_000),
      b.renew("race", "original", renew, 60_000),
      a.renew("race", "original", renew, 60_000),
      b.renew("race", "original", renew, 60_000),
    ]);
    assert.equal(upstreamRefreshes, 1);
    for (const result of results) assert.equal(result.accessToken, "renewed-1");
    // A later renewal by someone who saw the renewed token renews again, once.
    await b.renew(
      "race",
      "renewed-1",
      async (c) => ({ accessToken: "renewed-2", refreshToken: "rotated-2", refreshes: (c?.refreshes ?? 0) + 1 }),
      60_000,
    );
    assert.equal((await a.get("race"))?.refreshes, 2);
  });
});
