// Issue 9, finding 3 (the session id is not a bearer credential) and the session items of
// finding 8 (no session for a refused batch; an initialize flood cannot evict live sessions).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { normalizeUrl } from "../../lib/client/credentials.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { toolContextFactory } from "../../lib/server/tool-context.ts";
import { newSessionState } from "../../lib/session.ts";
import { MemorySessionStore } from "../../lib/store/memory-session-store.ts";
import { type Listening, listen } from "../helpers/listen.ts";
import {
  type App,
  call,
  credentialHeaders,
  type Dxp,
  initialize,
  initializeMessage,
  rpc,
  startApp,
  startDxp,
  textOf,
  toolCall,
} from "../helpers/security.ts";

let dxp: Dxp;
let app: App;
before(async () => {
  dxp = await startDxp();
  app = await startApp({ environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" } });
});
after(async () => {
  await app?.close();
  await dxp?.close();
});

const sessionCount = async (base: string) =>
  ((await (await fetch(`${base}/readyz`)).json()) as { sessions: number }).sessions;

describe("a session id presented by another caller", () => {
  it("gets the same 404 as an unknown session, and cannot read, change or delete the session", async () => {
    const a = credentialHeaders({ url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" });
    const b = credentialHeaders({ url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" });
    const session = await initialize(app.url, a);
    const set = await call(app.url, { ...a, "mcp-session-id": session }, "set_session_filter", { platforms: ["ZOOM"] });
    assert.equal(set.isError, undefined, textOf(set));

    const unknown = await rpc(
      app.url,
      { ...b, "mcp-session-id": crypto.randomUUID() },
      toolCall("get_session_summary"),
    );
    const stolen = await rpc(
      app.url,
      { ...b, "mcp-session-id": session },
      toolCall("set_session_filter", { clear: true }),
    );
    assert.equal(stolen.status, 404);
    assert.equal(await stolen.text(), await unknown.text(), "indistinguishable from an unknown id");
    // Anonymous (no headers) is another caller too.
    assert.equal((await rpc(app.url, { "mcp-session-id": session }, toolCall("get_session_summary"))).status, 404);
    const deleted = await fetch(`${app.url}/mcp`, { method: "DELETE", headers: { ...b, "mcp-session-id": session } });
    assert.equal(deleted.status, 404);

    // The owner's session is untouched.
    const summary = await call(app.url, { ...a, "mcp-session-id": session }, "get_session_summary");
    assert.equal(summary.isError, undefined, textOf(summary));
    // The summary's own reads (its data-freshness read carries no filter, and may arrive last).
    const reads = dxp.sim.requests.filter((r) => r.path.startsWith("/dapi/session/summary"));
    assert.ok(
      reads.length > 0 && reads.every((r) => r.query.platforms === "ZOOM"),
      "the owner's filter survived the other caller's clear",
    );
    assert.equal(
      (await fetch(`${app.url}/mcp`, { method: "DELETE", headers: { ...a, "mcp-session-id": session } })).status,
      204,
    );
  });
});

describe("tokens set with configure_connection", () => {
  let other: Listening;
  let otherHits: string[] = [];
  before(async () => {
    other = await listen((request) => {
      otherHits.push(request.headers.get("authorization") ?? "");
      return Response.json([]);
    }, "127.0.0.2");
  });
  after(() => other?.close());

  it("are never sent to a URL other than the one they were configured with", async () => {
    otherHits = [];
    const tokens = dxp.sim.issueTokens();
    const session = newSessionState();
    session.credentials = { ...tokens };
    session.credentialsUrl = normalizeUrl(dxp.url); // what configure_connection records
    const context = toolContextFactory({
      session,
      environment: { url: dxp.url, tenant: "acme" },
      headers: { url: other.url }, // a later request naming another DXP
      clients: new ClientPool({ urlPolicy: { allowLoopbackHttp: true } }),
      urlPolicy: { allowLoopbackHttp: true, allowPrivateAddresses: true, allowedHosts: ["*"] },
    })({ progress: async () => {} });
    await assert.rejects(
      async () => (await context.client()).tenants(),
      /belong to another DXP URL than the one this request names/,
    );
    assert.deepEqual(otherHits, [], "the other URL never saw the tokens");
  });

  it("are bound to the URL in effect when they were set", async () => {
    // A caller with a credential header (header-less sessions keep no tokens: security-budgets.test.ts).
    const named = { "X-Nectar-DXP-URL": dxp.url };
    const session = await initialize(app.url, named);
    const { accessToken, refreshToken } = dxp.sim.issueTokens();
    const set = await call(app.url, { ...named, "mcp-session-id": session }, "configure_connection", {
      accessToken,
      refreshToken,
    });
    assert.equal(set.isError, undefined, textOf(set));
    const ok = await call(app.url, { ...named, "mcp-session-id": session }, "get_tenant_names");
    assert.equal(ok.isError, undefined, textOf(ok));
    assert.equal(dxp.sim.requests.at(-1)?.token, accessToken, "the configured token went to the configured DXP");
  });
});

describe("initialize", () => {
  it("in a batch is refused before any session exists", async () => {
    const before = await sessionCount(app.url);
    const response = await rpc(app.url, {}, [initializeMessage(1), { jsonrpc: "2.0", id: 2, method: "tools/list" }]);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /initialize must be sent alone/);
    assert.equal(response.headers.get("mcp-session-id"), null);
    assert.equal(await sessionCount(app.url), before);
  });

  it("floods cannot evict a session in use: past the cap new sessions get 503 and the live one keeps working", async () => {
    const small = await startApp({
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      sessions: new MemorySessionStore({ maxSessions: 20 }),
    });
    try {
      const live = await initialize(small.url, {});
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await rpc(small.url, {}, initializeMessage());
        statuses.push(response.status);
        await response.text();
      }
      assert.equal(statuses.filter((s) => s === 200).length, 19, "the free slots were filled");
      assert.equal(statuses.filter((s) => s === 503).length, 21, "then: busy, retry later");
      const still = await call(small.url, { "mcp-session-id": live }, "get_tenant_names");
      assert.equal(still.isError, undefined, textOf(still));
    } finally {
      await small.close();
    }
  });
});
