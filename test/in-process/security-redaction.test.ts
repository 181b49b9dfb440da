// Issue 9, finding 6: an upstream that quotes the caller's tokens (or any JWT) in its
// error messages gets them cut out before the text reaches a tool result or a log line.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Logger } from "../../lib/logger.ts";
import { type Listening, listen } from "../helpers/listen.ts";
import { type App, call, credentialHeaders, startApp, textOf } from "../helpers/security.ts";

const ACCESS = `header-access-${crypto.randomUUID()}`;
const REFRESH = `header-refresh-${crypto.randomUUID()}`;
const OTHER_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.c2lnbmF0dXJlLWJ5dGVz";

let upstream: Listening;
let app: App;
const lines: string[] = [];
const log: Logger = {
  debug: (m) => lines.push(m),
  info: (m) => lines.push(m),
  warn: (m) => lines.push(m),
  error: (m) => lines.push(m),
};

before(async () => {
  // A hostile (or merely chatty) DXP: every error quotes what it was sent.
  upstream = await listen(async (request) => {
    const body = request.method === "POST" ? await request.text() : "";
    const message = `Denied for ${request.headers.get("authorization")} (body ${body}); see also ${OTHER_JWT}`;
    const status = new URL(request.url).pathname.includes("refresh") ? 503 : 403;
    return Response.json({ message }, { status });
  });
  app = await startApp({ log, pool: { maxRetries: 0 } });
});
after(async () => {
  await app?.close();
  await upstream?.close();
});

describe("upstream error text", () => {
  it("reaches the tool result and the log without the caller's tokens or any JWT", async () => {
    const headers = credentialHeaders({
      url: upstream.url,
      accessToken: ACCESS,
      refreshToken: REFRESH,
      tenant: "acme",
    });
    const results = [
      await call(app.url, headers, "get_tenant_platforms"),
      await call(app.url, headers, "get_connection_status"),
    ];
    const seen = [...results.map((r) => JSON.stringify(r)), ...lines].join("\n");
    assert.match(
      textOf(results[0]!),
      /refused access .*\(403\): Denied for Bearer \[REDACTED\]/,
      "the message itself still arrives",
    );
    for (const secret of [ACCESS, REFRESH, OTHER_JWT])
      assert.ok(!seen.includes(secret), `${secret.slice(0, 16)}… leaked`);
  });

  it("a refresh the DXP fails with 5xx quoting the refresh token is redacted too", async () => {
    const headers = credentialHeaders({ url: upstream.url, refreshToken: REFRESH, tenant: "acme" });
    const result = await call(app.url, headers, "get_tenant_platforms");
    assert.equal(result.isError, true);
    assert.match(textOf(result), /503/);
    assert.ok(!JSON.stringify(result).includes(REFRESH));
    assert.ok(!lines.join("\n").includes(REFRESH));
  });
});
