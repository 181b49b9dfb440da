import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("get_tenant_platforms", () => {
  const h = useHarness();

  it("lists the platforms of the tenant asked for, asking the DXP for that tenant", async () => {
    const platforms = (await h().call("get_tenant_platforms", { tenant: "globex" })).structuredContent as {
      tenant: string;
      platforms: { enabled: boolean }[];
    };
    assert.equal(platforms.tenant, "globex");
    assert.ok(platforms.platforms.some((p) => p.enabled));
    assert.equal(h().sim.requests.at(-1)?.tenant, "globex");
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_tenant_platforms", [[{ tenant: "" }, /tenant/]]);
  });
});
