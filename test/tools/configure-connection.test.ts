import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, useHarness } from "../helpers/tool-test.ts";

describe("configure_connection without configuration", () => {
  const h = useHarness({ environment: () => undefined });

  describe("bad input", () => {
    refusesBadInput(h, "configure_connection", [
      [{}, /url, accessToken, refreshToken, domainName/],
      [{ url: "http://evil.example.com" }, /https/],
    ]);
  });

  it("configure_connection sets credentials for the session without echoing a token", async () => {
    const tokens = h().sim.issueTokens();
    const { accessToken, refreshToken } = tokens;
    const result = await h().call("configure_connection", {
      url: h().url,
      accessToken,
      refreshToken,
      domainName: "globex",
    });
    assert.equal(result.isError, undefined, textOf(result));
    assert.ok(!JSON.stringify(result).includes(tokens.accessToken));
    assert.ok(!JSON.stringify(result).includes(tokens.refreshToken));
    const status = (await h().call("get_connection_status")).structuredContent as {
      source: string;
      tenant: string;
      connected: boolean;
    };
    assert.deepEqual([status.source, status.tenant, status.connected], ["configure_connection", "globex", true]);
    const summary = await h().call("get_session_summary");
    assert.equal(summary.isError, undefined);
    assert.equal(h().sim.requests.at(-1)?.tenant, "globex");
  });
});
