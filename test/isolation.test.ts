// Many users on one HTTP server: each request's X-Nectar-* credentials reach only that
// request's upstream calls, session state stays in its session, renewed tokens stay with
// their credential, and URLs a client names never make the server reach anything it
// should not. Everything runs on loopback: the simulator on 127.0.0.1, a bare TCP
// listener on 127.0.0.2 that only counts connections, and a fetch guard under the
// client pool that refuses (and records) any host that is not loopback.

import assert from "node:assert/strict";
import { connect as connectTcp, createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { PLATFORMS } from "../lib/client/vocabulary.ts";
import type { PartialCredentials } from "../lib/connection.ts";
import { createHttpApp } from "../lib/http/app.ts";
import { parseUrlPolicy, type UrlPolicy } from "../lib/security/url-policy.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { OPERATOR_URL_POLICY } from "../lib/server/create-server.ts";
import { createSimulator, type RecordedRequest, type Simulator } from "../lib/simulator/index.ts";
import { jwtClaims, textOf } from "./helpers/common.ts";
import { type Listening, listen } from "./helpers/listen.ts";
import { credentialHeaders } from "./helpers/security.ts";

// ---------------------------------------------------------------------------------------
// Loopback-only plumbing

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "127.0.0.2", "localhost"]);

interface Fetched {
  url: string;
  authorization: string | null;
}

/** What the server's DXP clients fetched, and what the guard refused to fetch. */
const fetched: Fetched[] = [];
const refused: string[] = [];

/** A fetch for the client pool that can only ever reach loopback, whatever the URL policy does. */
const guardedFetch: typeof fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(String(input), init);
  const url = new URL(request.url);
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    refused.push(url.href);
    throw new Error(`test guard: refused to fetch non-loopback host ${url.hostname}`);
  }
  fetched.push({ url: url.href, authorization: request.headers.get("authorization") });
  return fetch(input, init);
};

/** A bare TCP listener on 127.0.0.2 that counts accepted connections and closes them. */
interface Trap {
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

async function startTrap(): Promise<Trap> {
  let connections = 0;
  const server: TcpServer = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.2", () => resolve());
  });
  const address = server.address();
  assert.ok(address && typeof address === "object");
  // Prove it counts: one connection of our own, which is then taken off the count.
  await new Promise<void>((resolve, reject) => {
    const socket = connectTcp(address.port, "127.0.0.2");
    socket.once("error", reject);
    socket.once("close", () => resolve());
  });
  while (connections < 1) await new Promise((r) => setTimeout(r, 5));
  const baseline = connections;
  return {
    port: address.port,
    get connections() {
      return connections - baseline;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------
// Servers and clients

interface McpUser {
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

const LOOPBACK_POLICY: Partial<UrlPolicy> = { allowLoopbackHttp: true };

async function startApp(options: {
  urlPolicy: Partial<UrlPolicy>;
  environment?: PartialCredentials;
}): Promise<Listening> {
  const { app } = createHttpApp({
    urlPolicy: options.urlPolicy,
    environment: options.environment,
    // A budget no busy machine exhausts: this file asserts isolation, not speed. The client's
    // clock runs 20 s ahead of the simulator's, so a 30 s token is past half its
    // life: renewed on first use, however long the test has taken so far.
    clients: new ClientPool({
      urlPolicy: OPERATOR_URL_POLICY,
      fetch: guardedFetch,
      timeoutMs: 120_000,
      retryDelayMs: 20,
      now: () => T + 20_000,
    }),
    allowedHosts: [],
    allowedOrigins: [],
  });
  return listen(app.fetch);
}

const openUsers = new Set<McpUser>();

async function connect(baseUrl: string, headers: Record<string, string>, name = "isolation-test"): Promise<McpUser> {
  const client = new Client({ name, version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers } });
  await client.connect(transport);
  const user: McpUser = {
    client,
    call: async (tool, args = {}) => (await client.callTool({ name: tool, arguments: args })) as CallToolResult,
    close: async () => {
      openUsers.delete(user);
      await client.close();
    },
  };
  openUsers.add(user);
  return user;
}

function ok(result: CallToolResult, what: string): Record<string, unknown> {
  assert.notEqual(result.isError, true, `${what}: ${textOf(result)}`);
  assert.ok(result.structuredContent, `${what}: structured content`);
  return result.structuredContent as Record<string, unknown>;
}

/** The claims of a simulator access token (JWT-shaped): who it was issued to survives renewals. */
const claimsOf = (token: string) => jwtClaims<{ sub: string; tenants: string[] }>(token);

const REFRESH_PATH = "/aapi/jwt/token/refresh";

// ---------------------------------------------------------------------------------------

let sim: Simulator;
let simHttp: Listening;
let app: Listening;
/**
 * The simulator's clock stands at T (the start, so its data is around the tools' "now"),
 * `skew` ms off; only the renewal test moves it. Token lives never depend on elapsed time.
 */
const T = Date.now();
let skew = 0;

before(async () => {
  sim = createSimulator({ sessionsPerTenant: 3000, now: () => T + skew });
  simHttp = await listen(sim.fetch);
  app = await startApp({ urlPolicy: LOOPBACK_POLICY });
});

after(async () => {
  await Promise.allSettled([...openUsers].map((u) => u.close()));
  await app?.close();
  await simHttp?.close();
});

describe("isolation under load", () => {
  const CLIENTS = 50;
  const TENANTS = ["acme", "globex", "initech"];

  it("keeps 50 concurrent clients' tokens, tenants, filters and answers apart", async () => {
    sim.clearRequests();
    fetched.length = 0;
    const clients = Array.from({ length: CLIENTS }, (_, i) => {
      const tenant = TENANTS[i % TENANTS.length]!;
      const subject = `client-${String(i).padStart(2, "0")}`;
      const tokens = sim.issueTokens({ tenants: [tenant], subject });
      return {
        i,
        tenant,
        subject,
        tokens,
        platform: PLATFORMS[i % PLATFORMS.length]!,
        // A free-text filter value no other client uses: cross-talk cannot hide behind a shared platform.
        marker: `${subject}@isolation.invalid`,
        pageNumber: i + 1,
      };
    });
    const byToken = new Map(clients.map((c) => [c.tokens.accessToken, c]));
    assert.equal(byToken.size, CLIENTS, "every client has its own token");

    const users = await Promise.all(
      clients.map((c) =>
        connect(app.url, credentialHeaders({ url: simHttp.url, ...c.tokens, tenant: c.tenant }), c.subject),
      ),
    );

    // Every client runs its calls in order; the 50 chains run at once, so calls interleave.
    const answers = await Promise.all(
      clients.map(async (c) => {
        const u = users[c.i]!;
        const summaryBefore = ok(await u.call("get_session_summary"), `${c.subject} summary`);
        const platforms = ok(await u.call("get_tenant_platforms"), `${c.subject} platforms`);
        const listBefore = ok(
          await u.call("get_detailed_session_list", { pageNumber: c.pageNumber, pageSize: 5 }),
          `${c.subject} list`,
        );
        const filter = ok(
          await u.call("set_session_filter", { platforms: [c.platform], users: [c.marker] }),
          `${c.subject} filter`,
        );
        const [summaryAfter, listAfter] = await Promise.all([
          u.call("get_session_summary").then((r) => ok(r, `${c.subject} summary after filter`)),
          u
            .call("get_detailed_session_list", { pageNumber: c.pageNumber, pageSize: 5 })
            .then((r) => ok(r, `${c.subject} list after filter`)),
        ]);
        return { c, summaryBefore, platforms, listBefore, filter, summaryAfter, listAfter };
      }),
    );
    const calls = CLIENTS * 6;

    // Every answer went to the client that asked.
    const own = (c: (typeof clients)[number]) => ({ platforms: [c.platform], users: [c.marker] });
    for (const a of answers) {
      const { c } = a;
      for (const [name, answer] of Object.entries({
        summaryBefore: a.summaryBefore,
        platforms: a.platforms,
        listBefore: a.listBefore,
        summaryAfter: a.summaryAfter,
        listAfter: a.listAfter,
      })) {
        assert.equal(answer.tenant, c.tenant, `${c.subject} ${name}: tenant`);
      }
      assert.equal(
        a.summaryBefore.filter,
        undefined,
        `${c.subject}: no filter before set_session_filter (answers echo none)`,
      );
      assert.equal(a.listBefore.filter, undefined, `${c.subject}: list before set_session_filter`);
      assert.equal(
        (a.listBefore.page as { pageNumber: number }).pageNumber,
        c.pageNumber,
        `${c.subject}: its own page`,
      );
      assert.deepEqual(a.filter.filter as Record<string, unknown>, own(c), `${c.subject}: saved filter`);
      assert.deepEqual(a.summaryAfter.filter, own(c), `${c.subject}: summary echoes its own filter`);
      assert.deepEqual(a.listAfter.filter, own(c), `${c.subject}: list echoes its own filter`);
      assert.equal(
        (a.listAfter.page as { pageNumber: number }).pageNumber,
        c.pageNumber,
        `${c.subject}: its own page after filter`,
      );
    }

    // Every upstream request carried one client's token and that same client's tenant and filter.
    const log = [...sim.requests];
    const perClient = new Map<string, RecordedRequest[]>();
    for (const r of log) {
      assert.notEqual(r.path, REFRESH_PATH, "no token needed renewal");
      assert.ok(r.token, `${r.path} carried a token`);
      const c = byToken.get(r.token);
      assert.ok(c, `${r.path} carried a token issued to one of the clients`);
      assert.equal(claimsOf(r.token).sub, c.subject);
      assert.equal(r.tenant, c.tenant, `${c.subject} ${r.path}: tenant`);
      assert.equal(r.status, 200, `${c.subject} ${r.path}: status`);
      if (r.query.users !== undefined) assert.equal(r.query.users, c.marker, `${c.subject} ${r.path}: users filter`);
      if (r.query.platforms !== undefined)
        assert.equal(r.query.platforms, c.platform, `${c.subject} ${r.path}: platform filter`);
      if (r.query.pageNumber !== undefined)
        assert.equal(r.query.pageNumber, String(c.pageNumber), `${c.subject} ${r.path}: page`);
      perClient.set(c.subject, [...(perClient.get(c.subject) ?? []), r]);
    }
    // summary 6 + its data freshness 1 + platforms 1 + list 1 (no filter), then summary 6 + list 1 (with its filter),
    // and one user search checking its filter's e-mail (issue 20, item 2; cached for the second call). Besides them,
    // the data's extent (the coverage note, issue 20 item 1): one per filter, the later call's from the cache, or
    // one per session-tool call if the cache has expired under load.
    const coverage = (r: RecordedRequest) =>
      r.path.endsWith("/quality/nectarscore/bar/graph") && r.query.interval === "DAY";
    for (const c of clients) {
      const mine = perClient.get(c.subject) ?? [];
      const own = mine.filter((r) => !coverage(r));
      assert.equal(own.length, 17, `${c.subject}: upstream requests`);
      assert.equal(own.filter((r) => r.query.users === c.marker).length, 7, `${c.subject}: requests with its filter`);
      const extents = mine.filter(coverage);
      assert.ok(extents.length >= 2 && extents.length <= 4, `${c.subject}: ${extents.length} coverage reads`);
      assert.equal(
        extents.filter((r) => r.query.users === c.marker).length >= 1,
        true,
        `${c.subject}: a coverage read with its filter`,
      );
    }
    // And nothing reached the network other than the simulator.
    assert.deepEqual(refused, []);
    assert.ok(fetched.every((f) => f.url.startsWith(`${simHttp.url}/`)));

    console.log(
      `isolation under load: ${CLIENTS} clients, ${calls} tool calls, ${log.length} upstream requests checked (token, tenant, filter, page)`,
    );
    await Promise.all(users.map((u) => u.close()));
  });

  it("never lets one session's filter change another session's answers", async () => {
    const tokens = sim.issueTokens({ tenants: ["globex"], subject: "shared" });
    const headers = credentialHeaders({ url: simHttp.url, ...tokens, tenant: "globex" });
    const [a, b] = await Promise.all([connect(app.url, headers), connect(app.url, headers)]);
    ok(await a.call("set_session_filter", { platforms: ["ZOOM"], qualities: ["CRITICAL"] }), "a sets a filter");

    sim.clearRequests();
    const alone = ok(await b.call("get_session_summary"), "b alone");
    assert.equal(alone.filter, undefined);
    assert.equal(sim.requests.length, 8, "the summary's six, its data freshness and the data's extent (its coverage)");
    for (const r of sim.requests) {
      assert.equal(r.query.platforms, undefined, `${r.path}: no platform filter upstream`);
      assert.equal(r.query.qualities, undefined, `${r.path}: no quality filter upstream`);
    }

    // A window neither session asked for yet: every answer below comes from upstream, none from a cache.
    sim.clearRequests();
    const week = { timePeriod: "LAST_WEEK" };
    const [fromA, fromB] = await Promise.all([
      a.call("get_session_summary", week),
      b.call("get_session_summary", week),
    ]);
    assert.deepEqual(ok(fromA, "a").filter, { platforms: ["ZOOM"], qualities: ["CRITICAL"] });
    assert.equal(ok(fromB, "b").filter, undefined);
    const filtered = sim.requests.filter((r) => r.query.platforms === "ZOOM" && r.query.qualities === "CRITICAL");
    const unfiltered = sim.requests.filter((r) => r.query.platforms === undefined && r.query.qualities === undefined);
    assert.equal(filtered.length, 7, "a's six requests and its coverage read carry its filter");
    assert.equal(unfiltered.length, 6, "b's six requests carry none (its coverage read is b alone's, from the cache)");
    await Promise.all([a.close(), b.close()]);
  });
});

describe("refreshed tokens", () => {
  it("are kept per credential: two clients near expiry each renew their own token", async () => {
    // A 30 s token is renewed at half its life; the pool's clock runs 20 s ahead, so the first call renews.
    const one = sim.issueTokens({ tenants: ["acme"], lifetimeSeconds: 30, subject: "renew-one" });
    const two = sim.issueTokens({ tenants: ["initech"], lifetimeSeconds: 30, subject: "renew-two" });
    const [u1, u2] = await Promise.all([
      connect(app.url, credentialHeaders({ url: simHttp.url, ...one, tenant: "acme" })),
      connect(app.url, credentialHeaders({ url: simHttp.url, ...two, tenant: "initech" })),
    ]);
    sim.clearRequests();
    const [r1, r2] = await Promise.all([u1.call("get_tenant_platforms"), u2.call("get_tenant_platforms")]);
    assert.equal(ok(r1, "one").tenant, "acme");
    assert.equal(ok(r2, "two").tenant, "initech");

    const refreshes = sim.requests.filter((r) => r.path === REFRESH_PATH);
    assert.equal(refreshes.length, 2, "one refresh per credential");
    assert.ok(refreshes.every((r) => r.status === 200));
    const data = sim.requests.filter((r) => r.path !== REFRESH_PATH);
    assert.equal(data.length, 2);
    const tokenOf = (tenant: string) => {
      const r = data.find((d) => d.tenant === tenant);
      assert.ok(r?.token);
      return r.token;
    };
    const renewed1 = tokenOf("acme");
    const renewed2 = tokenOf("initech");
    assert.notEqual(renewed1, one.accessToken, "one sends a renewed token");
    assert.notEqual(renewed2, two.accessToken, "two sends a renewed token");
    assert.notEqual(renewed1, renewed2);
    assert.equal(claimsOf(renewed1).sub, "renew-one");
    assert.equal(claimsOf(renewed2).sub, "renew-two");

    // Later requests with the same headers use their credential's renewed tokens. The
    // renewals live 30 s too, so they renew again, with the rotated refresh token: the first
    // one is spent, and a pool that had lost or mixed them would fail with invalid_grant.
    sim.clearRequests();
    const page = { pageSize: 1 }; // a request not made before, so not answered from a cache
    const again = await Promise.all([
      u1.call("get_detailed_session_list", page),
      u2.call("get_detailed_session_list", page),
    ]);
    assert.equal(ok(again[0], "one again").tenant, "acme");
    assert.equal(ok(again[1], "two again").tenant, "initech");
    const later = sim.requests.filter((x) => x.path !== REFRESH_PATH);
    // Each list and its coverage read (the data's extent, issue 20 item 1), all with the renewed tokens.
    assert.equal(later.length, 4);
    assert.ok(
      sim.requests.filter((x) => x.path === REFRESH_PATH).every((x) => x.status === 200),
      "every renewal was accepted",
    );
    for (const r of later) {
      assert.ok(r.token && ![one.accessToken, two.accessToken, renewed1, renewed2].includes(r.token));
      assert.equal(claimsOf(r.token).sub, r.tenant === "acme" ? "renew-one" : "renew-two", `${r.tenant}: own token`);
    }
    await Promise.all([u1.close(), u2.close()]);
  });

  it("serve their credential's later calls without another refresh", async () => {
    // Issued 3570 s in the past with a one-hour life: 30 s left now, renewals last an hour.
    skew = -3570_000;
    let one: ReturnType<typeof sim.issueTokens>;
    let two: ReturnType<typeof sim.issueTokens>;
    try {
      one = sim.issueTokens({ tenants: ["acme"], subject: "later-one" });
      two = sim.issueTokens({ tenants: ["globex"], subject: "later-two" });
    } finally {
      skew = 0;
    }
    const [u1, u2] = await Promise.all([
      connect(app.url, credentialHeaders({ url: simHttp.url, ...one, tenant: "acme" })),
      connect(app.url, credentialHeaders({ url: simHttp.url, ...two, tenant: "globex" })),
    ]);
    sim.clearRequests();
    const run = async (u: McpUser, tenant: string) => {
      for (let n = 1; n <= 3; n++) {
        const answer = ok(
          await u.call("get_detailed_session_list", { pageNumber: n, pageSize: 1 }),
          `${tenant} page ${n}`,
        );
        assert.equal(answer.tenant, tenant);
      }
    };
    await Promise.all([run(u1, "acme"), run(u2, "globex")]);

    assert.equal(
      sim.requests.filter((r) => r.path === REFRESH_PATH).length,
      2,
      "one refresh per credential, then none",
    );
    assert.equal(
      sim.requests.filter((r) => r.path !== REFRESH_PATH).length,
      8,
      "three pages each, all from upstream, and one coverage read each (the later pages' from the cache)",
    );
    const tokens = (tenant: string) => new Set(sim.requests.filter((r) => r.tenant === tenant).map((r) => r.token));
    const [t1] = [...tokens("acme")];
    const [t2] = [...tokens("globex")];
    assert.equal(tokens("acme").size, 1, "acme's three calls carry one renewed token");
    assert.equal(tokens("globex").size, 1, "globex's three calls carry one renewed token");
    assert.ok(t1 && t2 && t1 !== t2 && t1 !== one.accessToken && t2 !== two.accessToken);
    assert.equal(claimsOf(t1).sub, "later-one");
    assert.equal(claimsOf(t2).sub, "later-two");
    await Promise.all([u1.close(), u2.close()]);
  });
});

describe("the SSRF guard end to end (loopback only)", () => {
  let trap: Trap;
  let production: Listening;

  before(async () => {
    trap = await startTrap();
    production = await startApp({ urlPolicy: parseUrlPolicy({}) });
  });
  after(async () => {
    await production?.close();
    await trap?.close();
  });

  const cases = (port: number): [string, RegExp][] => [
    [`https://127.0.0.2:${port}`, /loopback host \(127\.0\.0\.2\)/],
    [`http://127.0.0.2:${port}`, /loopback host \(127\.0\.0\.2\)/],
    [`https://[::ffff:127.0.0.2]:${port}`, /loopback host \(127\.0\.0\.2\)/],
    [`https://2130706434:${port}`, /loopback host \(127\.0\.0\.2\)/],
    [`https://localhost:${port}`, /loopback host \(localhost\)/],
    ["https://169.254.169.254", /cloud metadata service \(169\.254\.169\.254\)/],
    ["https://10.0.0.1", /IP address \(10\.0\.0\.1, a private address\); only host names/],
    ["https://metadata.google.internal", /cloud metadata service \(metadata\.google\.internal\)/],
    ["http://demo.us.nectar.services", /must use https; plain http is refused/],
    [
      "https://evil.example.invalid",
      /evil\.example\.invalid is not an allowed DXP host \(allowed: \*\.nectar\.services\)/,
    ],
    ["https://demo.nectar.services.evil.invalid", /demo\.nectar\.services\.evil\.invalid is not an allowed DXP host/],
  ];

  function assertRefused(result: CallToolResult, tool: string, problem: RegExp, secret: string): void {
    assert.equal(result.isError, true, `${tool} refused`);
    const text = textOf(result);
    assert.match(text, new RegExp(`^${tool}: The DXP URL`));
    assert.match(text, problem);
    assert.match(text, /Use the https:\/\/ address of your Nectar DXP tenant/, "says what is accepted");
    assert.ok(!text.includes(secret), "no token in the message");
  }

  it("refuses client-named URLs in X-Nectar-DXP-URL and sends nothing anywhere", async () => {
    const tokens = sim.issueTokens({ tenants: ["acme"] });
    sim.clearRequests();
    fetched.length = 0;
    for (const [url, problem] of cases(trap.port)) {
      const u = await connect(production.url, credentialHeaders({ url, ...tokens, tenant: "acme" }));
      assertRefused(await u.call("get_tenant_platforms"), "get_tenant_platforms", problem, tokens.accessToken);
      await u.close();
    }
    assert.equal(trap.connections, 0, "nothing reached the listener on 127.0.0.2");
    assert.equal(sim.requests.length, 0, "nothing reached the simulator");
    assert.deepEqual(fetched, [], "the DXP client fetched nothing");
    assert.deepEqual(refused, [], "the loopback guard had nothing to refuse");
  });

  it("refuses the same URLs through configure_connection and sends nothing anywhere", async () => {
    const tokens = sim.issueTokens({ tenants: ["acme"] });
    // A caller with a credential header: header-less sessions keep no settings at all.
    const u = await connect(production.url, {
      "X-Nectar-Refresh-Token": sim.issueTokens({ tenants: ["acme"] }).refreshToken,
    });
    sim.clearRequests();
    fetched.length = 0;
    for (const [url, problem] of cases(trap.port)) {
      const result = await u.call("configure_connection", { url, accessToken: tokens.accessToken, domainName: "acme" });
      assertRefused(result, "configure_connection", problem, tokens.accessToken);
      // Nothing was saved: a data call has no connection at all.
      const after = await u.call("get_tenant_platforms");
      assert.equal(after.isError, true);
      assert.match(textOf(after), /No DXP URL is configured/);
    }
    assert.equal(trap.connections, 0, "nothing reached the listener on 127.0.0.2");
    assert.equal(sim.requests.length, 0, "nothing reached the simulator");
    assert.deepEqual(fetched, []);
    assert.deepEqual(refused, []);
    await u.close();
  });
});

describe("environment tokens and client-named URLs", () => {
  let trap: Trap;
  let withEnv: Listening;
  let envToken: string;

  before(async () => {
    trap = await startTrap();
    const tokens = sim.issueTokens({ tenants: ["acme"], subject: "operator" });
    envToken = tokens.accessToken;
    // Loopback http allowed here, so the listener's URL passes the policy: only the layering protects it.
    withEnv = await startApp({
      urlPolicy: LOOPBACK_POLICY,
      environment: { url: simHttp.url, ...tokens, tenant: "acme" },
    });
  });
  after(async () => {
    await withEnv?.close();
    await trap?.close();
  });

  it("never sends the environment's token to a URL a client names", async () => {
    const trapUrl = `http://127.0.0.2:${trap.port}`;
    fetched.length = 0;
    const viaHeader = await connect(withEnv.url, { "X-Nectar-DXP-URL": trapUrl });
    await viaHeader.call("get_tenant_platforms");
    const viaTool = await connect(withEnv.url, {});
    await viaTool.call("configure_connection", { url: trapUrl });
    await viaTool.call("get_tenant_platforms");
    assert.equal(trap.connections, 0, "nothing reached the client-named listener");
    assert.ok(
      !fetched.some((f) => f.url.startsWith(trapUrl)),
      "the DXP client fetched nothing from the client-named URL",
    );
    for (const f of fetched.filter((x) => x.authorization === `Bearer ${envToken}`)) {
      assert.ok(
        f.url.startsWith(`${simHttp.url}/`),
        `the environment's token went only to the environment's DXP (${f.url})`,
      );
    }
    assert.deepEqual(refused, []);
    await Promise.all([viaHeader.close(), viaTool.close()]);

    // Control: this policy does let the listener's URL through when the client brings its own
    // token, so above it was the credential layering alone that kept the environment's token home.
    const withOwnToken = await connect(withEnv.url, {
      "X-Nectar-DXP-URL": trapUrl,
      "X-Nectar-Access-Token": "client-own-token",
    });
    const control = await withOwnToken.call("get_tenant_platforms");
    await withOwnToken.close();
    assert.equal(control.isError, true);
    assert.match(textOf(control), /Could not reach the DXP/);
    assert.ok(trap.connections > 0, "the control call reached the listener");
    assert.ok(
      fetched.filter((f) => f.url.startsWith(trapUrl)).every((f) => f.authorization === "Bearer client-own-token"),
    );
  });

  it("answers a client-named URL without a token with a configuration error, not with the environment's DXP", async () => {
    const trapUrl = `http://127.0.0.2:${trap.port}`;
    sim.clearRequests();
    const u = await connect(withEnv.url, { "X-Nectar-DXP-URL": trapUrl });
    const result = await u.call("get_tenant_platforms");
    await u.close();
    assert.ok(!fetched.some((f) => f.url.startsWith(trapUrl) && f.authorization === `Bearer ${envToken}`));
    assert.equal(
      result.isError,
      true,
      `expected a configuration error, got an answer from the environment's DXP: ${textOf(result).slice(0, 120)}`,
    );
    assert.match(textOf(result), /No DXP access or refresh token came with the DXP URL you named/);
    assert.match(textOf(result), /X-Nectar-Access-Token/);
    assert.equal(sim.requests.length, 0, "the environment's DXP was not asked instead");
  });
});
