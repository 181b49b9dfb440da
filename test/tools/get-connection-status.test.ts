import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("get_connection_status", () => {
  const h = useHarness();

  it("get_connection_status reports the source, tenant and a live check, without tokens", async () => {
    const result = await h().call("get_connection_status");
    const data = result.structuredContent as Record<string, unknown>;
    assert.equal(data.source, "environment");
    assert.equal(data.tenant, "acme");
    assert.equal(data.accessToken, "present");
    assert.equal(data.connected, true);
    assert.equal(typeof data.latencyMs, "number");
    assert.match(String(data.accessTokenExpiresAt), /^\d{4}-\d\d-\d\dT/);
    assert.ok(!JSON.stringify(result).includes(h().tokens.accessToken));
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_connection_status", [[{ verbose: 1 }, /verbose/]]);
  });
});

describe("get_connection_status without configuration", () => {
  const h = useHarness({ environment: () => undefined });

  it("get_connection_status answers, saying it is not connected and why", async () => {
    const result = await h().call("get_connection_status");
    assert.equal(result.isError, undefined);
    const data = result.structuredContent as { connected: boolean; source: string; problem: string };
    assert.equal(data.connected, false);
    assert.equal(data.source, "none");
    assert.match(data.problem, /configure_connection/);
  });
});
