import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Hono } from "hono";
import { ConfigurationError } from "../../lib/errors.ts";
import { defaultAllowedHosts, type OriginGuardOptions, originGuard } from "../../lib/security/origin-guard.ts";

function app(options: OriginGuardOptions): Hono {
  const a = new Hono();
  a.use("/mcp", originGuard(options));
  a.post("/mcp", (c) => c.json({ ok: true }));
  return a;
}

async function post(a: Hono, headers: Record<string, string>): Promise<Response> {
  return a.request("http://127.0.0.1:3000/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: "{}",
  });
}

async function assertForbidden(res: Response, message: string): Promise<void> {
  assert.equal(res.status, 403);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.deepEqual(await res.json(), { jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

const loopback = app({ allowedHosts: defaultAllowedHosts("127.0.0.1", 3000), allowedOrigins: [] });

describe("originGuard on a loopback bind", () => {
  for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "localhost", "LOCALHOST:3000"]) {
    test(`lets Host ${host} through`, async () => {
      const res = await post(loopback, { host });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ok: true });
    });
  }

  for (const host of ["evil.example.com", "evil.example.com:3000", "127.0.0.1.evil.com", "[::2]:3000", "bad host"]) {
    test(`refuses Host ${host} with 403`, async () => {
      await assertForbidden(await post(loopback, { host }), "Forbidden: host not allowed");
    });
  }

  test("refuses the conformance probe's bad Host and Origin with 403", async () => {
    const res = await post(loopback, { host: "evil.example.com", origin: "http://evil.example.com" });
    await assertForbidden(res, "Forbidden: host not allowed");
  });

  test("accepts the conformance probe's loopback Host and Origin", async () => {
    const res = await post(loopback, { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" });
    assert.equal(res.status, 200);
  });

  test("lets a request without Origin through", async () => {
    assert.equal((await post(loopback, { host: "127.0.0.1:3000" })).status, 200);
  });

  for (const origin of [
    "http://localhost:5173",
    "http://127.0.0.1:3000",
    "http://[::1]:8080",
    "http://localhost",
    "https://localhost:8443",
  ]) {
    test(`lets loopback Origin ${origin} through for a loopback Host`, async () => {
      assert.equal((await post(loopback, { host: "localhost:3000", origin })).status, 200);
    });
  }

  for (const origin of [
    "http://evil.example.com",
    "https://app.example.com",
    "null",
    "http://localhost.evil.com",
    "file://",
    "garbage",
  ]) {
    test(`refuses Origin ${origin} with 403`, async () => {
      await assertForbidden(await post(loopback, { host: "127.0.0.1:3000", origin }), "Forbidden: origin not allowed");
    });
  }

  test("falls back to the request URL when there is no Host header", async () => {
    assert.equal((await post(loopback, {})).status, 200);
    const res = await app({ allowedHosts: ["mcp.example.com"], allowedOrigins: [] }).request("http://127.0.0.1/mcp", {
      method: "POST",
    });
    assert.equal(res.status, 403);
  });
});

describe("originGuard with any Host allowed", () => {
  const open = app({ allowedHosts: [], allowedOrigins: ["https://app.example.com"] });

  test("lets a Kubernetes service name through", async () => {
    assert.equal((await post(open, { host: "nectar-mcp.default.svc.cluster.local:8080" })).status, 200);
  });

  test("still refuses a browser page from another origin", async () => {
    const res = await post(open, { host: "mcp.example.com", origin: "https://evil.example.com" });
    await assertForbidden(res, "Forbidden: origin not allowed");
  });

  test("refuses an Origin that merely matches the Host", async () => {
    const res = await post(open, { host: "evil.example.com", origin: "http://evil.example.com" });
    await assertForbidden(res, "Forbidden: origin not allowed");
  });

  test("refuses a loopback Origin when the Host is not loopback", async () => {
    const res = await post(open, { host: "mcp.example.com", origin: "http://localhost:3000" });
    await assertForbidden(res, "Forbidden: origin not allowed");
  });

  test("lets an allowed Origin through, compared case-insensitively and without the default port", async () => {
    for (const origin of ["https://app.example.com", "https://APP.example.com:443"]) {
      assert.equal((await post(open, { host: "mcp.example.com", origin })).status, 200, origin);
    }
  });
});

describe("originGuard host entries", () => {
  test("an entry with a port accepts only that port", async () => {
    const pinned = app({ allowedHosts: ["mcp.example.com:8443"], allowedOrigins: [] });
    assert.equal((await post(pinned, { host: "mcp.example.com:8443" })).status, 200);
    await assertForbidden(await post(pinned, { host: "mcp.example.com:8444" }), "Forbidden: host not allowed");
    await assertForbidden(await post(pinned, { host: "mcp.example.com" }), "Forbidden: host not allowed");
  });

  test("an entry without a port accepts any port", async () => {
    const any = app({ allowedHosts: ["mcp.example.com"], allowedOrigins: [] });
    assert.equal((await post(any, { host: "mcp.example.com:1234" })).status, 200);
    assert.equal((await post(any, { host: "MCP.example.com." })).status, 200);
  });

  test("a malformed entry is refused when the guard is built", () => {
    assert.throws(
      () => originGuard({ allowedHosts: ["https://mcp.example.com/"], allowedOrigins: [] }),
      ConfigurationError,
    );
  });
});

describe("defaultAllowedHosts", () => {
  test("lists the loopback names with and without the port for a loopback bind", () => {
    const expected = ["localhost", "127.0.0.1", "[::1]", "localhost:3000", "127.0.0.1:3000", "[::1]:3000"];
    for (const bind of ["127.0.0.1", "localhost", "::1", "[::1]"]) {
      assert.deepEqual(defaultAllowedHosts(bind, 3000), expected, bind);
    }
  });

  test("is empty for a bind on every interface", () => {
    for (const bind of ["0.0.0.0", "::", "", "10.0.0.4"]) {
      assert.deepEqual(defaultAllowedHosts(bind, 8080), [], bind);
    }
  });
});
