import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("get_tenant_names", () => {
  const h = useHarness();

  it("lists the tenants, and the default one", async () => {
    const tenants = (await h().call("get_tenant_names")).structuredContent as {
      tenants: string[];
      defaultTenant: string;
    };
    assert.ok(tenants.tenants.length >= 3);
    assert.equal(tenants.defaultTenant, "acme");
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_tenant_names", [[{ surprise: true }, /surprise/]]);
  });
});
