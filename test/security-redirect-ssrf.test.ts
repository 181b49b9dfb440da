// Issue 9, finding 2: no SSRF through a redirect or through DNS. Everything stays on
// loopback: the "DXP" is an HTTPS listener on 127.0.0.1 with a self-signed certificate
// for *.nectar.services (made here with openssl), names resolve through a test lookup
// hook, and the forbidden internal target is a listener on 127.0.0.2 that counts hits.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { guardedFetch, type Lookup } from "../servers/guarded-fetch.ts";
import { type Listening, listen } from "./helpers/listen.ts";
import { type App, call, credentialHeaders, type Dxp, startApp, startDxp, textOf } from "./helpers/security.ts";

const dir = mkdtempSync(join(tmpdir(), "nectar-ssrf-"));
execFileSync(
  "openssl",
  [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    join(dir, "key.pem"),
    "-out",
    join(dir, "cert.pem"),
    "-days",
    "1",
    "-subj",
    "/CN=*.nectar.services",
    "-addext",
    "subjectAltName=DNS:*.nectar.services",
  ],
  { stdio: "ignore" },
);
const key = readFileSync(join(dir, "key.pem"), "utf8");
const cert = readFileSync(join(dir, "cert.pem"), "utf8");

/** The test's DNS: two names under the allowed suffix, one of them pointing inside. */
const NAMES: Record<string, string> = { "dxp.nectar.services": "127.0.0.1", "internal.nectar.services": "127.0.0.2" };
const lookup: Lookup = (hostname, options, callback) => {
  const address = NAMES[hostname];
  if (!address) return callback(Object.assign(new Error(`test lookup: no ${hostname}`), { code: "ENOTFOUND" }), "", 4);
  if (options.all) callback(null, [{ address, family: 4 }]);
  else callback(null, address, 4);
};

const listenHttps = (handler: (request: Request) => Response | Promise<Response>, hostname: string) =>
  listen(handler, hostname, { key, cert });

let dxp: Dxp;
let secure: Listening;
/** The internal service on 127.0.0.2 that must never be reached, over http and https. */
let internal: Listening;
let internalSecure: Listening;
let internalHits = 0;
/** When set, the DXP answers every API request with a redirect here. */
let redirectTo: string | undefined;

before(async () => {
  dxp = await startDxp();
  internal = await listen(() => {
    internalHits += 1;
    return Response.json({ message: "internal-secret-body" });
  }, "127.0.0.2");
  internalSecure = await listenHttps(() => {
    internalHits += 1;
    return Response.json({ message: "internal-secret-body" });
  }, "127.0.0.2");
  secure = await listenHttps(async (request) => {
    if (redirectTo) return new Response(null, { status: 302, headers: { location: redirectTo } });
    const url = new URL(request.url);
    return dxp.sim.fetch(new Request(`${dxp.url}${url.pathname}${url.search}`, request));
  }, "127.0.0.1");
});

after(async () => {
  await Promise.all([secure?.close(), internal?.close(), internalSecure?.close(), dxp?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const policy = { allowedHosts: ["*.nectar.services"] };

describe("redirects", () => {
  let app: App;
  before(async () => {
    // Loopback allowed here so that dxp.nectar.services (127.0.0.1) is reachable: a redirect is refused anyway.
    const guard = guardedFetch({ policy: { ...policy, allowLoopbackHttp: true }, lookup, ca: cert });
    app = await startApp({ urlPolicy: policy, pool: { clientNamedFetch: guard } });
  });
  after(() => app?.close());

  const headers = () =>
    credentialHeaders({ url: `https://dxp.nectar.services:${secure.port}`, ...dxp.sim.issueTokens(), tenant: "acme" });

  it("reaches an allowed *.nectar.services host over HTTPS through the test lookup", async () => {
    const result = await call(app.url, headers(), "get_tenant_names");
    assert.equal(result.isError, undefined, textOf(result));
  });

  it("are refused, not followed: an allowed host answering 302 to 127.0.0.2 gets a clear error and the internal service sees nothing", async () => {
    internalHits = 0;
    redirectTo = `${internal.url}/internal`;
    try {
      const result = await call(app.url, headers(), "get_tenant_names");
      assert.equal(result.isError, true);
      assert.match(textOf(result), /redirect \(302\), which this server does not follow/);
      assert.match(textOf(result), /URL policy/);
      assert.doesNotMatch(textOf(result), /internal-secret-body|127\.0\.0\.2/);
      assert.equal(internalHits, 0, "the internal service was never asked");
    } finally {
      redirectTo = undefined;
    }
  });
});

describe("resolved addresses", () => {
  let app: App;
  before(async () => {
    // The policy under test: loopback refused (as on a real HTTP deployment).
    const guard = guardedFetch({ policy, lookup, ca: cert });
    app = await startApp({ urlPolicy: policy, pool: { clientNamedFetch: guard } });
  });
  after(() => app?.close());

  it("refuses an allowed name that resolves to a loopback address, before connecting", async () => {
    internalHits = 0;
    const headers = credentialHeaders({
      url: `https://internal.nectar.services:${internalSecure.port}`,
      ...dxp.sim.issueTokens(),
      tenant: "acme",
    });
    const result = await call(app.url, headers, "get_tenant_names");
    assert.equal(result.isError, true);
    assert.match(textOf(result), /resolves to a loopback address, which the DXP URL policy refuses/);
    assert.doesNotMatch(textOf(result), /127\.0\.0\.2/);
    assert.equal(internalHits, 0);
  });
});
