// Issue 9, findings 1, 4 (refresh race) and 7: renewed tokens survive any number of
// callers, one credential spelled several ways renews once, and a spent token pair stops
// working through the server when its original access token would have expired.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listen } from "./helpers/listen.ts";
import {
  type App,
  call,
  credentialHeaders,
  type Dxp,
  inBatches,
  REFRESH_PATH,
  startApp,
  startDxp,
  textOf,
} from "./helpers/security.ts";

/**
 * Clocks the test moves, never the wall clock: the simulator's (its tokens' lives) stands
 * still at T, and the pool's runs `offset` ms ahead of it, so 30 s tokens look as old as the
 * test says however long 1,050 calls take on a busy machine.
 */
const T = Date.UTC(2026, 0, 5, 9, 0);
let offset = 0;
const clock = () => T + offset;

let dxp: Dxp;
before(async () => {
  dxp = await startDxp({ now: () => T });
});
after(() => dxp.close());
const refreshes = () => dxp.sim.requests.filter((r) => r.path === REFRESH_PATH);

describe("renewed tokens", () => {
  let app: App;
  after(() => app?.close());

  it("survive 1,050 calls with junk tokens: the operator and a header user keep working with their rotated refresh tokens", async () => {
    offset = 20_000; // past half of a 30 s life: the first call renews
    const operator = dxp.sim.issueTokens({ lifetimeSeconds: 30, subject: "operator" });
    const user = dxp.sim.issueTokens({ lifetimeSeconds: 30, subject: "header-user" });
    app = await startApp({ environment: { url: dxp.url, ...operator, tenant: "acme" }, pool: { now: clock } });
    const userHeaders = credentialHeaders({ url: dxp.url, ...user, tenant: "acme" });

    dxp.sim.clearRequests();
    assert.equal((await call(app.url, {}, "get_tenant_names")).isError, undefined);
    assert.equal((await call(app.url, userHeaders, "get_tenant_names")).isError, undefined);
    assert.equal(refreshes().length, 2, "each credential renewed once; both refresh tokens are now spent");

    // The review's attack: more distinct junk credentials than the client pool holds.
    const junk = await inBatches(1050, 16, (i) =>
      call(app.url, { "x-nectar-access-token": `junk-token-${i}-xxxxxxxx` }, "get_tenant_names"),
    );
    assert.ok(
      junk.every((r) => r.isError),
      "junk tokens are refused by the DXP",
    );

    dxp.sim.clearRequests();
    const operatorAgain = await call(app.url, {}, "get_tenant_names");
    const userAgain = await call(app.url, userHeaders, "get_tenant_names");
    assert.equal(operatorAgain.isError, undefined, textOf(operatorAgain));
    assert.equal(userAgain.isError, undefined, textOf(userAgain));
    assert.equal(refreshes().length, 0, "no one presented a spent refresh token");
  });
});

describe("one credential spelled several ways", () => {
  let app: App;
  after(() => app?.close());

  it("renews once for all its spellings, and every spelling keeps working", async () => {
    offset = 0;
    app = await startApp({ pool: { now: clock } });
    const tokens = dxp.sim.issueTokens({ subject: "spellings" });
    const { port } = new URL(dxp.url);
    const spellings = [
      dxp.url,
      `${dxp.url}/`,
      `${dxp.url}/?s=1`,
      dxp.url.replace("http://", "HTTP://"),
      `${dxp.url}#x`,
      `http://127.0.0.1.:${port}`, // the trailing dot of a fully qualified name
      `http://[::ffff:127.0.0.1]:${port}/`, // the same address as an IPv4-mapped IPv6 literal
      `http://[::FFFF:7f00:1]:${port}`,
    ];
    // The DXP expires the access token at the first request: every spelling gets a 401 and must renew.
    dxp.sim.setFaults({ failNext: [{ kind: "expire-token" }] });
    dxp.sim.clearRequests();
    const results = await Promise.all(
      spellings.map((url, i) =>
        call(app.url, credentialHeaders({ url, ...tokens, tenant: "acme" }), "get_detailed_session_list", {
          pageSize: 1,
          pageNumber: i + 1,
        }),
      ),
    );
    for (const r of results) assert.equal(r.isError, undefined, textOf(r));
    assert.equal(refreshes().length, 1, "one refresh for the credential, whatever its spelling");
  });

  it("renews once for the spellings of an IPv6 literal and of a name with a trailing dot", async () => {
    const v6 = await listen(dxp.sim.fetch, "::1");
    const { port } = new URL(dxp.url); // localhost is 127.0.0.1 under the loopback guard
    try {
      const tokens = dxp.sim.issueTokens({ subject: "ipv6-spellings" });
      const spellings = [
        `http://[::1]:${v6.port}`,
        `http://[0:0:0:0:0:0:0:1]:${v6.port}/`,
        `http://[::0001]:${v6.port}`,
        `http://[0000::1]:${v6.port}/?x=1`,
      ];
      dxp.sim.setFaults({ failNext: [{ kind: "expire-token" }] });
      dxp.sim.clearRequests();
      const results = await Promise.all(
        spellings.map((url, i) =>
          call(app.url, credentialHeaders({ url, ...tokens, tenant: "acme" }), "get_detailed_session_list", {
            pageSize: 1,
            pageNumber: i + 1,
          }),
        ),
      );
      for (const r of results) assert.equal(r.isError, undefined, textOf(r));
      assert.equal(refreshes().length, 1, "one refresh for the credential, whatever its spelling");

      const named = dxp.sim.issueTokens({ subject: "named-spellings" });
      dxp.sim.setFaults({ failNext: [{ kind: "expire-token" }] });
      dxp.sim.clearRequests();
      const byName = await Promise.all(
        [`http://localhost:${port}`, `http://LocalHost.:${port}/`, `http://localhost.:${port}/#f`].map((url, i) =>
          call(app.url, credentialHeaders({ url, ...named, tenant: "acme" }), "get_detailed_session_list", {
            pageSize: 1,
            pageNumber: i + 1,
          }),
        ),
      );
      for (const r of byName) assert.equal(r.isError, undefined, textOf(r));
      assert.equal(refreshes().length, 1, "localhost and localhost. are one credential");
    } finally {
      await v6.close();
    }
  });

  it("keys default ports, host case, trailing dots and IPv6 forms as one credential in every store", async () => {
    const key = (url: string) => app.pool.credentialKey({ url, accessToken: "a", refreshToken: "r" });
    const same = async (spellings: string[]) => new Set(await Promise.all(spellings.map(key))).size;
    assert.equal(
      await same([
        "https://demo.us.nectar.services",
        "https://demo.us.nectar.services:443/",
        "HTTPS://Demo.US.nectar.services.:443",
        "https://demo.us.nectar.services./?q#f",
      ]),
      1,
    );
    assert.equal(
      await same([
        "http://127.0.0.1",
        "http://127.0.0.1:80/",
        "http://127.0.0.1.",
        "http://[::ffff:127.0.0.1]:80",
        "http://2130706433",
      ]),
      1,
    );
    assert.equal(await same(["http://[::1]", "http://[0:0:0:0:0:0:0:1]:80", "http://[::0:1]/"]), 1);
    assert.equal(
      await same([
        "https://demo.us.nectar.services",
        "https://demo.us.nectar.services:8443",
        "http://demo.us.nectar.services:443",
      ]),
      3,
      "other ports and schemes stay other credentials",
    );
  });

  it("keeps one client for 200 query-string spellings of one URL", async () => {
    offset = 0;
    const tokens = dxp.sim.issueTokens({ subject: "query-spellings" });
    const before = app.pool.size;
    await inBatches(200, 8, (i) =>
      call(app.url, credentialHeaders({ url: `${dxp.url}/?s=${i}`, ...tokens, tenant: "acme" }), "get_tenant_names"),
    );
    assert.equal(app.pool.size - before, 1, "200 spellings, one client");
  });
});

describe("revocation of a renewed credential", () => {
  let app: App;
  after(() => app?.close());

  it("accepts the original pair only within its access token's lifetime; the operator's credential renews on", async () => {
    offset = 20_000;
    const operator = dxp.sim.issueTokens({ lifetimeSeconds: 30, subject: "operator-2" });
    const user = dxp.sim.issueTokens({ lifetimeSeconds: 30, subject: "revoked-user" });
    app = await startApp({ environment: { url: dxp.url, ...operator, tenant: "acme" }, pool: { now: clock } });
    const userHeaders = credentialHeaders({ url: dxp.url, ...user, tenant: "acme" });
    assert.equal((await call(app.url, userHeaders, "get_tenant_names")).isError, undefined, "renewed within its life");
    assert.equal((await call(app.url, {}, "get_tenant_names")).isError, undefined);

    offset = 40_000; // the original access token has expired (from the server's clock)
    dxp.sim.clearRequests();
    const spent = await call(app.url, userHeaders, "get_tenant_names");
    assert.equal(spent.isError, true);
    assert.match(textOf(spent), /already renewed by this server/);
    assert.match(textOf(spent), /Issue new tokens/);
    assert.equal(dxp.sim.requests.length, 0, "nothing went upstream for the spent pair");

    const operatorLater = await call(app.url, {}, "get_tenant_names");
    assert.equal(operatorLater.isError, undefined, textOf(operatorLater));
  });
});
