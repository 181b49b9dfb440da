// Issue 18, items 3, 4 and 6: what a hostile (or just large) DXP, or a caller leaning on
// the DXP through us, can make the server do. Each test names the finding it pins.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkDxpUrl, checkResolvedAddress } from "../lib/security/url-policy.ts";

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
