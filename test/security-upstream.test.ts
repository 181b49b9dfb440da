// Issue 18, items 3, 4 and 6: what a hostile (or just large) DXP, or a caller leaning on
// the DXP through us, can make the server do. Each test names the finding it pins.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkDxpUrl, checkResolvedAddress } from "../lib/security/url-policy.ts";
import { type App, call, credentialHeaders, type Dxp, startApp, startDxp, textOf } from "./helpers/security.ts";

let dxp: Dxp;
let app: App;
let headers: Record<string, string>;
before(async () => {
  dxp = await startDxp();
  app = await startApp({});
  headers = credentialHeaders({ url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" });
});
after(async () => {
  await app?.close();
  await dxp?.close();
});

describe("the URL policy and cloud instance services (finding 6)", () => {
  const open = { allowPrivateAddresses: true, allowLoopbackHttp: true, allowedHosts: ["*"] };
  it("refuses Azure's WireServer by default, as an address a name resolves to and as a literal", () => {
    assert.throws(() => checkResolvedAddress("168.63.129.16"), /cloud metadata service/);
    assert.throws(() => checkResolvedAddress("168.63.129.16", open), /cloud metadata service/);
    assert.throws(() => checkDxpUrl("https://168.63.129.16", open), /cloud metadata service/);
  });
  it("refuses EKS Pod Identity and link-local addresses even with private addresses allowed", () => {
    for (const address of ["169.254.170.23", "fd00:ec2::23", "169.254.169.254", "fd00:ec2::254", "169.254.1.1", "fe80::1"]) {
      assert.throws(() => checkResolvedAddress(address, open), /metadata service|link-local/, address);
      const literal = address.includes(":") ? `https://[${address}]` : `https://${address}`;
      assert.throws(() => checkDxpUrl(literal, open), /never accepted/, literal);
    }
  });
  it("still accepts a private DXP when the operator allows private addresses", () => {
    checkResolvedAddress("10.1.2.3", open);
    checkResolvedAddress("fd12::1", open);
    assert.equal(checkDxpUrl("https://10.1.2.3", open), "https://10.1.2.3");
  });
});

describe("a path value of . or .. (finding 6)", () => {
  it("is refused before any request, instead of GET /dapi/session or /dapi/diagnostics", async () => {
    for (const sessionId of [".", ".."]) {
      dxp.sim.clearRequests();
      const result = await call(app.url, headers, "get_session_details", { sessionId });
      assert.equal(result.isError, true, textOf(result));
      assert.match(textOf(result), new RegExp(`session id "${sessionId.replace(/\./g, "\\.")}" is not an id`));
      assert.deepEqual(dxp.sim.requests.map((r) => r.path).filter((p) => !p.startsWith("/dapi/session/")), [], sessionId);
      assert.equal(dxp.sim.requests.length, 0, sessionId);
    }
  });
});
