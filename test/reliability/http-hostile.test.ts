// The built HTTP server (`nectar-dxp-mcp --http` in a child) under hostile HTTP: malformed
// JSON-RPC, wrong content types, oversize bodies, unknown sessions, header injection and
// absurd header sizes sent as raw bytes over node:net (the HTTP stack must refuse them),
// and a thousand random garbage requests. Each gets a correct HTTP / JSON-RPC error; the
// server keeps answering /healthz and real MCP calls afterwards.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { createSimulator, type Simulator } from "../../lib/simulator/index.ts";
import { type Listening, listen } from "../helpers/listen.ts";
import {
  type HttpChild,
  markStarted,
  pool,
  rawExchange,
  rawStatus,
  SCALE,
  saveResult,
  sized,
  startHttpChild,
  table,
} from "./helpers.ts";

const GARBAGE = sized(1000, 5000);
const RAW_GARBAGE = sized(100, 500);

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const initialize = (id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "hostile", version: "1.0" } },
});

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** A JSON-RPC error object as the spec and the SDK write it. */
function assertJsonRpcError(answer: Answer, codes: number[], what: string): void {
  assert.match(answer.type, /^application\/json/, `${what}: JSON (${answer.status} ${answer.body.slice(0, 200)})`);
  const body = JSON.parse(answer.body) as {
    jsonrpc?: unknown;
    error?: { code?: unknown; message?: unknown };
    id?: unknown;
  };
  assert.equal(body.jsonrpc, "2.0", `${what}: jsonrpc 2.0`);
  assert.ok(Number.isInteger(body.error?.code), `${what}: an integer error code`);
  assert.ok(
    codes.includes(body.error!.code as number),
    `${what}: code ${String(body.error?.code)} is one of ${codes.join(", ")}`,
  );
  assert.equal(typeof body.error?.message, "string", `${what}: a message`);
  assert.ok("id" in body, `${what}: an id (null when unknown)`);
}

/** JSON-RPC answers in a 200: a JSON body or server-sent events whose data lines are JSON-RPC. */
function jsonRpcMessages(answer: Answer): unknown[] {
  if (/^text\/event-stream/.test(answer.type)) {
    return answer.body
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)) as unknown);
  }
  const body = JSON.parse(answer.body) as unknown;
  return Array.isArray(body) ? body : [body];
}

describe(`HTTP server under hostile requests (built, ${SCALE})`, () => {
  let sim: Simulator;
  let dxp: Listening;
  let server: HttpChild;
  let tokens: { accessToken: string; refreshToken: string };
  const figures: string[] = [];
  let requestsSent = 0;

  const send = async (init: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
  }): Promise<Answer> => {
    requestsSent += 1;
    const response = await fetch(`${server.url}${init.path ?? "/mcp"}`, {
      method: init.method ?? "POST",
      headers: init.headers ?? JSON_HEADERS,
      body: init.body as BodyInit | undefined,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
  };
  const post = (body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
    send({ headers, body: typeof body === "string" ? body : JSON.stringify(body) });

  /** The server is up: /healthz answers, and a real session can call a tool. */
  async function assertServing(): Promise<void> {
    assert.equal(server.process.exitCode, null, "the server process is alive");
    const health = await send({ method: "GET", path: "/healthz" });
    assert.equal(health.status, 200);
    // A session belongs to the credential headers that created it: the same ones throughout.
    const credentials = { "x-nectar-access-token": tokens.accessToken, "x-nectar-domain-name": "acme" };
    const init = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { ...JSON_HEADERS, ...credentials },
      body: JSON.stringify(initialize()),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(init.status, 200);
    const session = init.headers.get("mcp-session-id")!;
    await init.text();
    const call = await post(
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "get_tenant_platforms", arguments: {} } },
      { ...JSON_HEADERS, ...credentials, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" },
    );
    assert.equal(call.status, 200);
    const [message] = jsonRpcMessages(call) as { result?: { isError?: boolean; structuredContent?: unknown } }[];
    assert.ok(message?.result?.structuredContent, `a tool answer: ${call.body.slice(0, 300)}`);
  }

  before(async () => {
    markStarted("http-hostile");
    sim = createSimulator({ sessionsPerTenant: 200 });
    dxp = await listen(sim.fetch);
    tokens = sim.issueTokens();
    server = await startHttpChild({ NECTAR_DXP_URL: dxp.url });
  });

  after(async () => {
    await server?.stop();
    await dxp?.close();
    console.log(
      `\nHTTP hostile (${SCALE}): ${requestsSent} requests over fetch, plus raw-socket ones\n${figures.join("\n")}`,
    );
    saveResult({
      file: "http-hostile",
      lines: [`HTTP hostile: ${requestsSent} fetch requests + raw sockets; ${figures.join("; ")}`],
      casesTried: requestsSent,
      callsServed: requestsSent,
    });
  });

  it("answers a body that is not JSON with 400 and a JSON-RPC parse error", async () => {
    for (const body of ["not json", "{", '{"jsonrpc":"2.0",', "\u0000\u0001", "<xml/>"]) {
      const answer = await post(body);
      assert.equal(answer.status, 400, body);
      assertJsonRpcError(answer, [-32700], JSON.stringify(body));
    }
    await assertServing();
  });

  it("answers JSON that is not JSON-RPC, or names another jsonrpc version, with 400 and a JSON-RPC error", async () => {
    const bodies = [
      "{}",
      '{"foo":1}',
      "42",
      '"text"',
      "null",
      "true",
      '{"jsonrpc":"2.0"}',
      '{"jsonrpc":"1.0","id":1,"method":"ping"}',
      '{"jsonrpc":2,"id":1,"method":"ping"}',
      '{"jsonrpc":"2.0","method":5,"id":1}',
      '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}',
      "[1,2,3]",
    ];
    for (const body of bodies) {
      const answer = await post(body);
      assert.equal(answer.status, 400, `${body}: ${answer.body}`);
      // -32600 (invalid request) is exact; the SDK's transport answers -32700 for any message it cannot read.
      assertJsonRpcError(answer, [-32600, -32700], body);
    }
    await assertServing();
  });

  it("answers an empty batch with 400 and a JSON-RPC invalid-request error", async () => {
    // JSON-RPC 2.0: "an Array with at least one value", else a single error Response.
    const answer = await post("[]");
    assert.equal(answer.status, 400, `[] got ${answer.status} "${answer.body}"`);
    assertJsonRpcError(answer, [-32600], "[]");
  });

  it("refuses a batch of 1000 requests and one of 100 tool calls with 400, and bounds what a batch of 8 tool calls costs upstream", async () => {
    const pings = Array.from({ length: 1000 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "ping" }));
    const answer = await post(pings);
    assert.equal(answer.status, 400);
    assertJsonRpcError(answer, [-32600], "batch of 1000");

    const before = sim.requests.length;
    const calls = Array.from({ length: 100 }, (_, i) => ({
      jsonrpc: "2.0",
      id: i,
      method: "tools/call",
      params: { name: "get_tenant_names", arguments: {} },
    }));
    const headers = {
      ...JSON_HEADERS,
      accept: "application/json",
      "x-nectar-access-token": tokens.accessToken,
      "x-nectar-domain-name": "acme",
    };
    const tooMany = await post(calls, headers);
    assert.equal(tooMany.status, 400);
    assertJsonRpcError(tooMany, [-32600], "batch of 100 tool calls");
    assert.equal(sim.requests.length, before, "nothing went upstream for a refused batch");
    const started = Date.now();
    const batch = await post(calls.slice(0, 8), headers);
    assert.equal(batch.status, 200);
    const messages = jsonRpcMessages(batch) as { id: number; result?: unknown; error?: unknown }[];
    assert.equal(messages.length, 8, "one answer per call");
    assert.deepEqual(new Set(messages.map((m) => m.id)).size, 8);
    const upstream = sim.requests.length - before;
    assert.ok(upstream <= 8, `at most one DXP request per call (${upstream})`);
    figures.push(
      `batch of 1000: 400; batch of 100 tool calls: 400; batch of 8 tool calls: 8 answers in ${Date.now() - started} ms, ${upstream} DXP request(s)`,
    );
    await assertServing();
  });

  it("answers a wrong or missing Content-Type with 415", async () => {
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      undefined,
    ]) {
      const headers: Record<string, string> = { accept: JSON_HEADERS.accept };
      if (type) headers["content-type"] = type;
      const answer = await send({ headers, body: ping });
      assert.equal(answer.status, 415, `${type ?? "(none)"}: ${answer.body}`);
      assertJsonRpcError(answer, [-32000], `Content-Type ${type ?? "(none)"}`);
    }
    await assertServing();
  });

  it("serves a client that sends no Accept header (or only application/json) with plain JSON", async () => {
    const variants: Record<string, string>[] = [
      { "content-type": "application/json" },
      { "content-type": "application/json", accept: "application/json" },
    ];
    for (const headers of variants) {
      const answer = await send({ headers, body: JSON.stringify(initialize()) });
      assert.equal(answer.status, 200, answer.body);
      assert.match(answer.type, /^application\/json/);
      assert.equal(
        (JSON.parse(answer.body) as { result: { serverInfo: { name: string } } }).result.serverInfo.name,
        "nectar-dxp-mcp",
      );
    }
  });

  it("answers a body over 1 MiB with 413, with or without Content-Length", async () => {
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "ping",
      params: { pad: "x".repeat(1024 * 1024 + 10) },
    });
    const declared = await post(big);
    assert.equal(declared.status, 413);
    assertJsonRpcError(declared, [-32000], "oversize with Content-Length");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
        for (let i = 0; i < 40; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    requestsSent += 1;
    const response = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: stream,
      duplex: "half",
      signal: AbortSignal.timeout(15_000),
    } as RequestInit);
    const chunked: Answer = {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      body: await response.text(),
    };
    assert.equal(chunked.status, 413, chunked.body.slice(0, 200));
    assertJsonRpcError(chunked, [-32000], "oversize, chunked");
    await assertServing();
  });

  it("answers an unknown session id with 404 and a JSON-RPC error, on POST and DELETE", async () => {
    for (const id of ["nope", crypto.randomUUID(), "x".repeat(1000), "../../etc/passwd"]) {
      const answer = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { ...JSON_HEADERS, "mcp-session-id": id });
      assert.equal(answer.status, 404, id);
      assertJsonRpcError(answer, [-32001], `session ${id.slice(0, 20)}`);
      const deleted = await send({ method: "DELETE", headers: { "mcp-session-id": id } });
      assert.equal(deleted.status, 404);
      assertJsonRpcError(deleted, [-32001], `DELETE session ${id.slice(0, 20)}`);
    }
    await assertServing();
  });

  it("refuses CR, LF and NUL inside X-Nectar-* headers at the HTTP stack (400) and stays up", async () => {
    const request = (header: string) =>
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nAccept: application/json\r\n${header}\r\nContent-Length: 2\r\n\r\n{}`;
    const cases = [
      ["CR", "X-Nectar-Access-Token: abc\rX-Evil: 1"],
      ["LF", "X-Nectar-Access-Token: abc\nX-Evil: 1"],
      ["NUL", "X-Nectar-Domain-Name: acme\0globex"],
      ["CR in the URL header", "X-Nectar-DXP-URL: http://127.0.0.1:1/\rX-Evil: 1"],
      ["DEL", "X-Nectar-Refresh-Token: abc\x7fdef"],
    ];
    const seen: string[] = [];
    for (const [name, header] of cases) {
      const raw = await rawExchange(server.port, request(header!));
      seen.push(`${name} ${rawStatus(raw)}`);
      assert.equal(rawStatus(raw), 400, `${name}: ${JSON.stringify(raw.slice(0, 200))}`);
      assert.doesNotMatch(raw, /X-Evil/i, "nothing echoed");
    }
    figures.push(`header injection: ${seen.join(", ")}`);
    await assertServing();
  });

  it("refuses X-Nectar-* values the HTTP stack lets through (spaces, tabs, bytes over 0x7f) with 400 and a JSON-RPC error", async () => {
    const request = (header: string) =>
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nAccept: application/json\r\nConnection: close\r\n${header}\r\nContent-Length: 2\r\n\r\n{}`;
    for (const header of [
      "X-Nectar-Access-Token: abc def",
      "X-Nectar-Access-Token: abc\tdef",
      "X-Nectar-Domain-Name: acme\xe9",
      "X-Nectar-DXP-URL: http://127.0.0.1:1/\xff",
    ]) {
      const raw = await rawExchange(server.port, Buffer.from(request(header), "latin1"));
      assert.equal(rawStatus(raw), 400, `${JSON.stringify(header)}: ${JSON.stringify(raw.slice(0, 300))}`);
      const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
      assert.match(body, /"code":-32600/, `a JSON-RPC error for ${JSON.stringify(header)}`);
      assert.match(body, /visible ASCII/);
    }
    await assertServing();
  });

  it("answers absurd header sizes with 431 from the HTTP stack and stays up", async () => {
    const big = await rawExchange(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nectar-Access-Token: ${"a".repeat(64 * 1024)}\r\n\r\n`,
    );
    const many = await rawExchange(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 3000 }, (_, i) => `X-Pad-${i}: ${"b".repeat(8)}`).join("\r\n")}\r\n\r\n`,
    );
    const huge = await rawExchange(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${"c".repeat(1024 * 1024)}\r\n\r\n`,
      10_000,
    );
    figures.push(
      `64 KiB header: ${rawStatus(big)}; 3000 headers: ${rawStatus(many)}; 1 MiB header: ${rawStatus(huge) || "closed"}`,
    );
    assert.equal(rawStatus(big), 431);
    assert.equal(rawStatus(many), 431);
    assert.ok([431, 0].includes(rawStatus(huge)), `1 MiB header: ${rawStatus(huge)}`);
    await assertServing();
  });

  it(`answers ${GARBAGE} random garbage requests with correct HTTP / JSON-RPC errors, none with 5xx, and stays up`, async () => {
    const token = fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-._~+/=: "),
      maxLength: 40,
    });
    const headerArb = fc.record(
      {
        "content-type": fc.constantFrom(
          "application/json",
          "text/plain",
          "application/json; charset=utf-8",
          "multipart/form-data",
          "*/*",
          "application/jsonrequest",
        ),
        accept: fc.constantFrom(
          "application/json",
          "text/event-stream",
          "application/json, text/event-stream",
          "*/*",
          "text/html",
          "garbage",
        ),
        "mcp-session-id": token,
        "mcp-protocol-version": fc.constantFrom("2025-06-18", "2025-03-26", "2024-11-05", "1999-01-01", "garbage"),
        "x-nectar-access-token": token,
        "x-nectar-domain-name": token,
        "x-nectar-dxp-url": fc.constantFrom(
          "http://169.254.169.254/latest",
          "file:///etc/passwd",
          "https://evil.example.com",
          "http://127.0.0.1:1",
          "gopher://x",
        ),
        origin: fc.constantFrom("https://evil.example.com", "null", "http://127.0.0.1"),
        "x-mcp-tools": token,
      },
      { requiredKeys: [] },
    );
    const jsonRpcish = fc.record(
      {
        jsonrpc: fc.constantFrom("2.0", "1.0", 2, null),
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
        method: fc.oneof(
          fc.constantFrom(
            "initialize",
            "ping",
            "tools/list",
            "tools/call",
            "notifications/initialized",
            "resources/list",
            "prompts/get",
            "logging/setLevel",
          ),
          fc.string({ maxLength: 12 }),
        ),
        params: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record({
            name: fc.constantFrom("get_users", "configure_connection", "nope"),
            arguments: fc.jsonValue({ maxDepth: 2 }),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    const bodyArb = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      jsonRpcish.map((v) => JSON.stringify(v)),
      fc.array(jsonRpcish, { maxLength: 5 }).map((v) => JSON.stringify(v)),
    );
    const requestArb = fc.record({
      method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO"),
      path: fc.constantFrom(
        "/mcp",
        "/mcp",
        "/mcp",
        "/mcp/",
        "/mcp?x=1",
        "/MCP",
        "/healthz",
        "/readyz",
        "/",
        "/../etc/passwd",
        "/%2e%2e/mcp",
        "/mcp/../healthz",
        "//mcp",
        "/mcp%00",
        "/_sim/faults",
      ),
      headers: headerArb,
      body: bodyArb,
    });
    const requests = fc.sample(requestArb, { numRuns: GARBAGE, seed: 20261125 });
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    await pool(requests, 16, async (r) => {
      const hasBody = r.method !== "GET" && r.method !== "HEAD";
      let answer: Answer;
      try {
        answer = await send({ method: r.method, path: r.path, headers: r.headers, body: hasBody ? r.body : undefined });
      } catch (error) {
        problems.push(`${r.method} ${r.path}: no answer (${(error as Error).message})`);
        return;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const pathname = new URL(r.path, server.url).pathname;
      const where = `${r.method} ${r.path} → ${answer.status} ${answer.body.slice(0, 160)}`;
      try {
        assert.ok(answer.status < 500, "no 5xx");
        if (r.method === "FOO") {
          assert.equal(answer.status, 400, "the HTTP stack refuses a method it does not know");
        } else if (pathname === "/mcp") {
          if (answer.status >= 400 && r.method !== "HEAD") {
            assertJsonRpcError(answer, [-32700, -32600, -32601, -32602, -32603, -32000, -32001], where);
          } else if (answer.status === 200 && r.method !== "HEAD") {
            const messages = jsonRpcMessages(answer) as { jsonrpc?: string }[];
            assert.ok(messages.length > 0 && messages.every((m) => m.jsonrpc === "2.0"), "JSON-RPC answers");
          } else if (answer.status === 202) {
            assert.equal(answer.body, "", "202 has no body");
          } else {
            assert.ok([200, 202, 204, 400, 403, 404, 405, 406, 413, 415].includes(answer.status), "an expected status");
          }
        } else if ((pathname === "/healthz" || pathname === "/readyz") && (r.method === "GET" || r.method === "HEAD")) {
          assert.equal(answer.status, 200);
        } else {
          assert.equal(answer.status, 404, "unknown routes are 404");
        }
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message.split("\n")[0]}`);
      }
    });
    const byStatus = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    figures.push(`${GARBAGE} garbage requests: ${byStatus}`);
    console.log(
      table(
        ["status", "count"],
        [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), String(n)]),
      ),
    );
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problem(s)`);
    await assertServing();
  });

  it(`answers ${RAW_GARBAGE} raw-socket garbage payloads (and smuggling-shaped requests) with 4xx or a closed connection, and stays up`, async () => {
    const crafted = [
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      "GET /\r\n\r\n",
      "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n",
      "POST /mcp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
      "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
      `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    ];
    const random = fc
      .sample(fc.uint8Array({ minLength: 1, maxLength: 2048 }), { numRuns: RAW_GARBAGE, seed: 42 })
      .map((b) => Buffer.concat([Buffer.from(b), Buffer.from("\r\n\r\n")]));
    const statuses = new Map<number, number>();
    await pool([...crafted.map((c) => Buffer.from(c, "latin1")), ...random], 16, async (payload) => {
      const status = rawStatus(await rawExchange(server.port, payload, 5000));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      assert.ok(
        status === 0 || (status >= 400 && status < 500) || status === 505,
        `status ${status} for ${JSON.stringify(payload.subarray(0, 60).toString("latin1"))}`,
      );
    });
    figures.push(
      `${crafted.length + RAW_GARBAGE} raw payloads: ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s || "closed"}×${n}`)
        .join(" ")}`,
    );
    await assertServing();
  });

  it("logged no internal error while refusing all of it", () => {
    assert.doesNotMatch(server.stderr(), / error /, server.stderr().slice(-2000));
    assert.doesNotMatch(server.stderr(), /LOOPBACK-GUARD/);
  });
});
