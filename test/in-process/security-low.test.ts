// Issue 9, the Low items of finding 8 (those not in security-sessions.test.ts) and the
// decision on finding 9: what get_connection_status tells a caller without credentials.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { effectiveUrlPolicy, readConfig } from "../../lib/config.ts";
import { checkDxpUrl } from "../../lib/security/url-policy.ts";
import { newSessionState } from "../../lib/session.ts";
import { parseToolSelection, selectTools } from "../../lib/tool-set/select-tools.ts";
import { jwtWith } from "../helpers/common.ts";
import {
  type App,
  call,
  credentialHeaders,
  type Dxp,
  inProcess,
  startApp,
  startDxp,
  textOf,
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

describe("a JWT whose exp is 1e300", () => {
  it("is reported as a token without a readable expiry, not a crash", async () => {
    const token = jwtWith({ exp: 1e300 });
    const result = await call(
      app.url,
      credentialHeaders({ url: dxp.url, accessToken: token, tenant: "acme" }),
      "get_connection_status",
    );
    assert.equal(result.isError, undefined, textOf(result));
    // Answers leave out what is not known (issue 13): no expiry field at all.
    assert.equal((result.structuredContent as { accessTokenExpiresAt?: unknown }).accessTokenExpiresAt, undefined);
    assert.match(textOf(result), /Not connected: The DXP rejected the access token/);
  });
});

describe("an IPv6 NECTAR_DXP_URL", () => {
  it("leaves client-named URLs on the allow-list working", () => {
    for (const url of ["https://[2001:db8::10]", "https://[::1]:8443"]) {
      const config = readConfig({ MCP_TRANSPORT: "http", NECTAR_DXP_URL: url, NECTAR_ACCESS_TOKEN: "t" });
      const policy = effectiveUrlPolicy(config, { loopbackHttp: false });
      assert.equal(checkDxpUrl("https://demo.us.nectar.services", policy), "https://demo.us.nectar.services");
    }
  });
});

describe("resources", () => {
  it("follow NECTAR_TOOLS: a server without a tool offers none of its data as a resource", async () => {
    const tools = selectTools(parseToolSelection("get_session_summary", undefined));
    const server = await inProcess({
      session: newSessionState(),
      tools,
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      urlPolicy: { allowLoopbackHttp: true },
    });
    try {
      const listed = await server.client.listResources().catch(() => ({ resources: [] }));
      const templates = await server.client.listResourceTemplates().catch(() => ({ resourceTemplates: [] }));
      assert.deepEqual(
        listed.resources.map((r) => r.name),
        [],
      );
      assert.deepEqual(
        templates.resourceTemplates.map((r) => r.name),
        [],
      );
      await assert.rejects(server.client.readResource({ uri: "nectar://tenants" }));
    } finally {
      await server.close();
    }
    const all = await inProcess({ session: newSessionState(), urlPolicy: { allowLoopbackHttp: true } });
    try {
      assert.ok(
        (await all.client.listResources()).resources.some((r) => r.name === "tenants"),
        "with every tool, the resource is there",
      );
    } finally {
      await all.close();
    }
  });
});

describe("get_connection_status for a caller without credentials of its own (decision on finding 9)", () => {
  it("over HTTP withholds the operator's DXP URL and still reports the tenant and connectivity", async () => {
    const result = await call(app.url, {}, "get_connection_status");
    const data = result.structuredContent as { url: unknown; tenant: unknown; connected: boolean; source: string };
    assert.equal(data.url, undefined, "no URL field at all");
    assert.equal(data.source, "environment");
    assert.equal(data.tenant, "acme");
    assert.equal(data.connected, true);
    assert.ok(!JSON.stringify(result).includes(dxp.url), "the operator's URL appears nowhere");
    assert.match(textOf(result), /the server's own; its address is not shown over HTTP/);
  });

  it("shows a caller the URL it sent itself", async () => {
    const result = await call(
      app.url,
      credentialHeaders({ url: dxp.url, ...dxp.sim.issueTokens() }),
      "get_connection_status",
    );
    assert.equal((result.structuredContent as { url: unknown }).url, dxp.url);
  });

  it("over stdio (one user, the operator) shows the URL", async () => {
    const server = await inProcess({
      session: newSessionState(),
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      urlPolicy: { allowLoopbackHttp: true },
    });
    try {
      const result = (await server.client.callTool({ name: "get_connection_status", arguments: {} })) as CallToolResult;
      assert.equal((result.structuredContent as { url: unknown }).url, dxp.url);
    } finally {
      await server.close();
    }
  });
});
