// The DXP client's auth and failure policy, against the simulator over loopback HTTP.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { DxpClient } from "../../lib/client/client.ts";
import {
  AuthenticationError,
  ConfigurationError,
  DxpError,
  PermissionError,
  RateLimitedError,
  TimeoutError,
  UpstreamError,
} from "../../lib/errors.ts";
import { createSimulator, type Simulator } from "../../lib/simulator/index.ts";
import { type Listening, listen } from "../helpers/listen.ts";

const REFRESH_PATH = "/aapi/jwt/token/refresh";
// Tokens that live 30 s are renewed at half their life; these clients' clocks run 20 s
// ahead, so such a token is "about to expire".
const day = { window: { period: "LAST_DAY" as const } };

describe("DXP client", () => {
  let sim: Simulator;
  let http: Listening;
  const client = (tokens: { accessToken?: string; refreshToken?: string }, timeoutMs = 5000) =>
    new DxpClient(
      { url: http.url, ...tokens },
      { urlPolicy: { allowLoopbackHttp: true }, timeoutMs, retryDelayMs: 20, now: () => Date.now() + 20_000 },
    );
  const tenant = { tenant: "acme" };

  before(async () => {
    sim = createSimulator({ sessionsPerTenant: 2000 });
    http = await listen(sim.fetch);
  });
  after(() => http.close());
  beforeEach(() => {
    sim.clearFaults();
    sim.clearRequests();
  });

  async function failure(promise: Promise<unknown>): Promise<DxpError> {
    const error = await promise.then(
      () => assert.fail("expected the call to fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DxpError, `a DxpError, got ${String(error)}`);
    return error;
  }

  it("sends the access token as a Bearer token and the tenant as a query parameter", async () => {
    const tokens = sim.issueTokens();
    await client(tokens).sessionSummary(day, tenant);
    assert.equal(sim.requests[0]?.token, tokens.accessToken);
    assert.equal(sim.requests[0]?.tenant, "acme");
  });

  it("refreshes a rejected access token once and the call succeeds", async () => {
    const tokens = sim.issueTokens();
    sim.setFaults({ failNext: [{ kind: "expire-token" }] });
    const c = client(tokens);
    const summary = await c.sessionSummary(day, tenant);
    assert.ok(summary.summary.totalCount >= 0);
    assert.deepEqual(
      sim.requests.map((r) => r.path),
      ["/dapi/session/summary", REFRESH_PATH, "/dapi/session/summary"],
    );
    assert.notEqual(sim.requests[2]?.token, tokens.accessToken);
    assert.equal(c.refreshCount, 1);
  });

  it("refreshes before the call when the JWT is about to expire", async () => {
    const tokens = sim.issueTokens({ lifetimeSeconds: 30 });
    await client(tokens).sessionSummary(day, tenant);
    assert.deepEqual(
      sim.requests.map((r) => r.path),
      [REFRESH_PATH, "/dapi/session/summary"],
    );
  });

  it("makes one refresh call for 20 concurrent calls that need one", async () => {
    const tokens = sim.issueTokens({ lifetimeSeconds: 30 });
    const c = client(tokens);
    // Distinct pages, so the client's sharing of identical requests does not merge them.
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.sessions({ pageNumber: i + 1, pageSize: 1 }, tenant)));
    assert.equal(sim.requests.filter((r) => r.path === REFRESH_PATH).length, 1);
    assert.equal(sim.requests.filter((r) => r.status === 200 && r.path !== REFRESH_PATH).length, 20);
  });

  it("turns a rejected refresh into an auth error that says which token to renew", async () => {
    const tokens = sim.issueTokens({ lifetimeSeconds: 30 });
    sim.setFaults({ rejectRefresh: true });
    const error = await failure(client(tokens).sessionSummary(day, tenant));
    assert.ok(error instanceof AuthenticationError);
    assert.match(error.userMessage, /refresh token/);
    assert.match(error.userMessage, /NECTAR_REFRESH_TOKEN/);
    assert.ok(!error.userMessage.includes(tokens.refreshToken));
  });

  it("without a refresh token, a 401 is an auth error naming the access token settings", async () => {
    const tokens = sim.issueTokens();
    sim.setFaults({ failNext: [{ kind: "expire-token" }] });
    const error = await failure(client({ accessToken: tokens.accessToken }).sessionSummary(day, tenant));
    assert.ok(error instanceof AuthenticationError);
    assert.match(error.userMessage, /NECTAR_ACCESS_TOKEN/);
  });

  it("retries a 429 after its Retry-After and succeeds", async () => {
    sim.setFaults({ failNext: [{ kind: "status", status: 429, retryAfterSeconds: 1 }] });
    // A generous budget: what is asserted is what was sent and how long apart, not how fast.
    await client(sim.issueTokens(), 30_000).sessionSummary(day, tenant);
    const statuses = sim.requests.map((r) => r.status);
    assert.deepEqual(statuses, [429, 200]);
    assert.ok(sim.requests[1]!.at - sim.requests[0]!.at >= 900, "waited for Retry-After");
  });

  it("gives up on a 429 whose Retry-After exceeds the time budget, saying how long to wait", async () => {
    sim.setFaults({ failNext: [{ kind: "status", status: 429, retryAfterSeconds: 60 }] });
    const error = await failure(client(sim.issueTokens(), 2000).sessionSummary(day, tenant));
    assert.ok(error instanceof RateLimitedError);
    assert.match(error.userMessage, /Wait 60 s/);
    assert.equal(sim.requests.length, 1);
  });

  it("ends a 5xx storm with an honest error after two retries, within the budget", async () => {
    sim.setFaults({ rate5xx: 1, status5xx: 503 });
    const error = await failure(client(sim.issueTokens(), 30_000).sessionSummary(day, tenant));
    assert.ok(error instanceof UpstreamError);
    assert.match(error.userMessage, /503.*after 2 retries/);
    assert.equal(sim.requests.length, 3, "two retries, then it stopped: no third");
  });

  it("does not retry a POST: a failing refresh is called once", async () => {
    let refreshCalls = 0;
    const upstream = await listen(() => {
      refreshCalls += 1;
      return new Response("busy", { status: 503 });
    });
    try {
      const c = new DxpClient(
        { url: upstream.url, refreshToken: "r-123456789" },
        { urlPolicy: { allowLoopbackHttp: true }, retryDelayMs: 10 },
      );
      const error = await failure(c.tenants(tenant));
      assert.ok(error instanceof UpstreamError);
      assert.equal(refreshCalls, 1);
    } finally {
      await upstream.close();
    }
  });

  it("times out within its budget when the DXP hangs", async () => {
    // The DXP would answer after 3 s: a result, not a TimeoutError, if the budget were not kept.
    sim.setFaults({ failNext: [{ kind: "hang", ms: 3000 }] });
    const error = await failure(client(sim.issueTokens(), 500).sessionSummary(day, tenant));
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.userMessage, /did not answer within/);
  });

  it("reports malformed JSON, HTML pages, truncated bodies and huge bodies as upstream errors", async () => {
    const tokens = sim.issueTokens();
    const c = client(tokens);
    sim.setFaults({ failNext: [{ kind: "malformed" }] });
    assert.match((await failure(c.tenantPlatforms(tenant))).message, /not valid JSON/);
    sim.setFaults({ failNext: [{ kind: "truncated" }] });
    assert.match((await failure(c.tenantPlatforms(tenant))).message, /not valid JSON/);
    sim.setFaults({
      failNext: [
        { kind: "status", status: 502, body: "html" },
        { kind: "status", status: 502, body: "html" },
        { kind: "status", status: 502, body: "html" },
      ],
    });
    assert.match((await failure(c.tenantPlatforms(tenant))).message, /HTML error page/);
    sim.setFaults({ failNext: [{ kind: "huge", bytes: 11 * 1024 * 1024 }] });
    assert.match((await failure(c.tenantPlatforms(tenant))).message, /larger than 10 MiB/);
  });

  it("names the field when an answer has the wrong shape", async () => {
    const upstream = await listen(() => Response.json({ summary: { totalCount: "lots" }, groups: [] }));
    try {
      const c = new DxpClient(
        { url: upstream.url, accessToken: "a-123456789" },
        { urlPolicy: { allowLoopbackHttp: true } },
      );
      const error = await failure(c.sessionSummary(day, tenant));
      assert.ok(error instanceof UpstreamError);
      assert.match(error.message, /unexpected shape at summary\.totalCount/);
    } finally {
      await upstream.close();
    }
  });

  it("maps 403 to a permission error", async () => {
    const error = await failure(
      client(sim.issueTokens({ tenants: ["acme"] })).sessionSummary(day, { tenant: "globex" }),
    );
    assert.ok(error instanceof PermissionError);
  });

  it("refuses plain http to a non-loopback host before sending anything", () => {
    assert.throws(
      () =>
        new DxpClient(
          { url: "http://demo.us.nectar.services", accessToken: "t" },
          { urlPolicy: { allowLoopbackHttp: true } },
        ),
      ConfigurationError,
    );
  });

  it("refuses loopback http unless allowed", () => {
    assert.throws(() => new DxpClient({ url: http.url, accessToken: "t" }), ConfigurationError);
  });

  it("needs a tenant for data calls", async () => {
    const error = await failure(client(sim.issueTokens()).sessionSummary(day, {}));
    assert.ok(error instanceof ConfigurationError);
    assert.match(error.userMessage, /NECTAR_DOMAIN_NAME/);
  });

  it("puts no token into any error message", async () => {
    const tokens = sim.issueTokens();
    sim.setFaults({ failNext: [{ kind: "expire-token" }], rejectRefresh: true });
    const error = await failure(client(tokens).sessionSummary(day, tenant));
    assert.ok(!error.userMessage.includes(tokens.accessToken) && !error.userMessage.includes(tokens.refreshToken));
  });

  it("shares one upstream request among identical concurrent reads", async () => {
    const c = client(sim.issueTokens());
    const answers = await Promise.all(Array.from({ length: 10 }, () => c.tenantPlatforms(tenant)));
    assert.equal(sim.requests.length, 1);
    assert.ok(answers.every((a) => a === answers[0]));
  });

  it("answers a repeated read from its cache within the TTL, and asks again after it", async () => {
    let now = Date.now();
    const c = new DxpClient(
      { url: http.url, ...sim.issueTokens() },
      { urlPolicy: { allowLoopbackHttp: true }, now: () => now, cache: { ttlMs: 30_000 } },
    );
    await c.tenantPlatforms(tenant);
    await c.tenantPlatforms(tenant);
    assert.equal(sim.requests.length, 1);
    await c.tenantPlatforms({ tenant: "globex" });
    assert.equal(sim.requests.length, 2, "another tenant is another request");
    now += 31_000;
    await c.tenantPlatforms(tenant);
    assert.equal(sim.requests.length, 3);
  });

  it("never shares cached answers between credentials", async () => {
    await client(sim.issueTokens()).tenantPlatforms(tenant);
    await client(sim.issueTokens()).tenantPlatforms(tenant);
    assert.equal(sim.requests.length, 2);
    assert.notEqual(sim.requests[0]!.token, sim.requests[1]!.token);
  });

  it("does not cache failures", async () => {
    const c = client(sim.issueTokens());
    sim.setFaults({ failNext: [{ kind: "status", status: 404 }] });
    await failure(c.tenantPlatforms(tenant));
    await c.tenantPlatforms(tenant);
    assert.deepEqual(
      sim.requests.map((r) => r.status),
      [404, 200],
    );
  });

  it("can turn the cache off", async () => {
    const c = new DxpClient(
      { url: http.url, ...sim.issueTokens() },
      { urlPolicy: { allowLoopbackHttp: true }, cache: { ttlMs: 0 } },
    );
    await c.tenantPlatforms(tenant);
    await c.tenantPlatforms(tenant);
    assert.equal(sim.requests.length, 2);
  });

  it("renews a short-lived token at half its life, not before every call", async () => {
    const tokens = sim.issueTokens({ lifetimeSeconds: 30 });
    const fresh = new DxpClient({ url: http.url, ...tokens }, { urlPolicy: { allowLoopbackHttp: true } });
    await fresh.tenantPlatforms(tenant);
    assert.deepEqual(
      sim.requests.map((r) => r.path),
      ["/dapi/tenant/platforms"],
    );
  });
});
