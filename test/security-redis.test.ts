// Issue 18, item 2: on a full Redis, renewed tokens never compete with caller-made data.
// A real redis-server (Debian's, unix socket) with a 4 MB maxmemory under each eviction
// policy: a flood of caller-made filters, sized from the bytes one record takes in Redis
// (measured, then extrapolated to 1.5 × maxmemory), must lose no renewed token, no session
// in use, and leave a renewal able to take its lock. Also: the start-up check that refuses
// a maxmemory the quotas do not fit in, the Redis session cap, and a garbage record.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, it } from "node:test";
import { silentLogger } from "../lib/logger.ts";
import { BudgetExceededError } from "../lib/store/budgets.ts";
import { checkRedisRoom } from "../lib/store/redis-quota.ts";
import { redisStores } from "../lib/store/shared-stores.ts";
import { connectRedis, type RedisConnection } from "../servers/redis.ts";
import { redisServer } from "./helpers/redis-server.ts";

const SECRET = "test-secret-0123456789abcdef0123456789";
const MAXMEMORY = 4 * 1024 * 1024;
const MONTH = 30 * 24 * 3600_000;

async function connect(socket: string): Promise<RedisConnection> {
  const connection = connectRedis(socket, silentLogger);
  for (let i = 0; i < 400 && !connection.ready(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(connection.ready(), "connected to the test's redis-server");
  return connection;
}

const info = async (connection: RedisConnection, field: string): Promise<number> => {
  const text = String(await connection.redis.eval("return redis.call('INFO')", [], []));
  return Number(new RegExp(`^${field}:(\\d+)`, "m").exec(text)?.[1] ?? NaN);
};

describe("a full Redis", () => {
  for (const policy of ["allkeys-lru", "volatile-lru", "volatile-ttl", "noeviction"]) {
    it(`under ${policy} at maxmemory 4mb: a filter flood loses no renewed token or session, and a renewal still takes its lock`, async () => {
      const redis = redisServer(["--maxmemory", String(MAXMEMORY), "--maxmemory-policy", policy]);
      await redis.start();
      const connection = await connect(redis.socket);
      try {
        const callerBytes = 1024 * 1024;
        await checkRedisRoom(connection.redis, callerBytes, "NECTAR_REDIS_CALLER_BYTES"); // fits: the server would start
        const stores = redisStores(connection.redis, { secret: SECRET, ready: connection.ready, callerBytes });
        await stores.tokens.renew(
          "operator",
          undefined,
          async () => ({ accessToken: "access-1", refreshToken: "refresh-1", refreshes: 1 }),
          MONTH,
        );
        const session = await stores.sessions.create("session-in-use", "owner-a");
        assert.ok(session.ok);

        // Bytes one caller-made filter takes in Redis, measured.
        const filter = (i: number) => ({ locations: [`${i}-`.padEnd(1000, "x")] });
        const before = await info(connection, "used_memory");
        for (let i = 0; i < 100; i++) await stores.filters.put(`flt_probe${i}`, `owner-${i}`, filter(i), 24 * 3600_000);
        const perRecord = Math.max(1, ((await info(connection, "used_memory")) - before) / 100);
        const flood = Math.ceil((1.5 * MAXMEMORY) / perRecord);

        let refused = 0;
        let failed = 0;
        for (let i = 0; i < flood; i++) {
          try {
            await stores.filters.put(`flt_flood${i}`, `owner-${i}`, filter(i), 24 * 3600_000);
          } catch (error) {
            if (error instanceof BudgetExceededError) refused += 1;
            else failed += 1;
          }
          if (i % 500 === 0)
            assert.ok(await stores.sessions.get("session-in-use", "owner-a"), "the session in use stays"); // keeps it recently used
        }
        assert.ok(refused > 0, `the flood (${flood} records of ~${Math.round(perRecord)} bytes) met the quota`);
        assert.equal(failed, 0, "no write failed for lack of memory");
        assert.equal(await info(connection, "evicted_keys"), 0, "Redis evicted nothing");
        assert.equal((await stores.tokens.get("operator"))?.accessToken, "access-1", "the renewed token survived");
        assert.ok(await stores.sessions.get("session-in-use", "owner-a"), "the session survived");
        let renewed = 0;
        const next = await stores.tokens.renew(
          "operator",
          "access-1",
          async (current) => {
            renewed += 1;
            return { accessToken: "access-2", refreshToken: "refresh-2", refreshes: (current?.refreshes ?? 0) + 1 };
          },
          MONTH,
        );
        assert.equal(renewed, 1, "the renewal took its lock and ran");
        assert.equal(next.accessToken, "access-2");
        assert.equal((await stores.tokens.get("operator"))?.accessToken, "access-2", "and its result was written");
      } finally {
        await connection.close();
        await redis.dispose();
      }
    });
  }
});

describe("Redis start-up and sessions", () => {
  const redis = redisServer(["--maxmemory", String(MAXMEMORY), "--maxmemory-policy", "allkeys-lru"]);
  let connection: RedisConnection;
  after(async () => {
    await connection?.close();
    await redis.dispose();
  });

  it("refuses a maxmemory the caller quotas do not fit in, naming the setting and what to do", async () => {
    await redis.start();
    connection = await connect(redis.socket);
    await assert.rejects(
      checkRedisRoom(connection.redis, 64 * 1024 * 1024, "NECTAR_REDIS_CALLER_BYTES"),
      (error: Error & { userMessage?: string }) => {
        assert.match(
          error.userMessage ?? "",
          /Redis's maxmemory \(4\.0 MiB, .* in use, policy allkeys-lru\) leaves too little room: NECTAR_REDIS_CALLER_BYTES lets callers store 64\.0 MiB/,
        );
        assert.match(
          error.userMessage ?? "",
          /evict renewed tokens\. Raise Redis's maxmemory to at least .* or lower NECTAR_REDIS_CALLER_BYTES/,
        );
        return true;
      },
    );
  });

  it("the HTTP server stops with exit 2 on a Redis whose maxmemory cannot hold the quotas, naming the setting", async () => {
    const cli = new URL("../dist/servers/cli.js", import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, "--http"], {
      env: {
        PATH: process.env.PATH ?? "",
        FASTMCP_HOST: "127.0.0.1",
        FASTMCP_PORT: "0",
        NECTAR_REDIS_URL: redis.socket,
        NECTAR_STORE_SECRET: SECRET,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // A hang guard, not a timing assertion: a server that never stops is killed and fails below.
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const code = await new Promise((resolve) => child.once("exit", resolve));
    clearTimeout(guard);
    assert.equal(code, 2, `exits 2 (got ${code}): ${stderr}`);
    assert.match(
      stderr,
      /shared store: Redis's maxmemory \(4\.0 MiB, .*\) leaves too little room: NECTAR_REDIS_CALLER_BYTES lets callers store 64\.0 MiB/,
    );
  });

  it("caps live sessions across replicas, and frees a slot when one ends", async () => {
    const one = redisStores(connection.redis, { secret: SECRET, ready: connection.ready, maxSessions: 3 });
    const two = redisStores(connection.redis, { secret: SECRET, ready: connection.ready, maxSessions: 3 });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await (i % 2 ? two : one).sessions.create(`cap-${i}`, "owner"));
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true, true, false, false],
    );
    assert.equal(await one.sessions.count(), 3);
    assert.ok(await two.sessions.delete("cap-0", "owner"));
    assert.equal((await one.sessions.create("cap-5", "owner")).ok, true);
  });

  it("reads a garbage session or filter record as missing, not as a server error", async () => {
    const stores = redisStores(connection.redis, { secret: SECRET, ready: connection.ready });
    await connection.redis.set("nectar:session:garbage", "{not json", 60_000);
    await connection.redis.set("nectar:filter:flt_garbage", "[1,2", 60_000);
    assert.equal(await stores.sessions.get("garbage", "owner"), undefined);
    assert.equal(await stores.filters.get("flt_garbage", "owner"), undefined);
  });
});
