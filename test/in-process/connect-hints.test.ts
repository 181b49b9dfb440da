// The address a shell prints for a person to dial, shared by the Node and the Deno shell
// (the Deno shell once printed http://:::PORT for NECTAR_HOST=::), and the demo credentials
// both shells hand out.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { connectHints, localUrl } from "../../lib/http/from-config.ts";
import { DEMO_TENANT, demoCredentials } from "../../lib/simulator/demo.ts";
import { createSimulator } from "../../lib/simulator/index.ts";

describe("connect hints", () => {
  it("dials a wildcard listener on loopback and brackets IPv6", () => {
    assert.equal(localUrl("0.0.0.0", 8080), "http://127.0.0.1:8080");
    assert.equal(localUrl("::", 8080), "http://127.0.0.1:8080");
    assert.equal(localUrl("::1", 8080), "http://[::1]:8080");
    assert.equal(localUrl("127.0.0.1", 3000), "http://127.0.0.1:3000");
    assert.equal(connectHints(localUrl("::", 9))[0], "MCP endpoint: http://127.0.0.1:9/mcp");
  });

  it("hands out an hour's tokens for the demo tenant", async () => {
    const simulator = createSimulator();
    const demo = demoCredentials(simulator, "http://127.0.0.1:1");
    assert.equal(demo.tenant, DEMO_TENANT);
    assert.equal(demo.url, "http://127.0.0.1:1");
    const claims = JSON.parse(Buffer.from(demo.accessToken.split(".")[1]!, "base64url").toString()) as {
      exp: number;
      iat: number;
      tenants: string[];
    };
    assert.equal(claims.exp - claims.iat, 3600);
    assert.ok(claims.tenants.includes("acme"));
    assert.ok(demo.refreshToken.length > 0);
  });
});
