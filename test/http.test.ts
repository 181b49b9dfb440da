// The built HTTP server as a platform team runs it: `nectar-dxp-mcp --http` in a child
// process, spoken to by real clients (the SDK's Streamable HTTP client, mcp-remote, raw
// fetch as the seed's curl), its DXP the simulator over loopback HTTP. Also the Deno shell.
//
// Every Node server child runs with a preload that refuses connections to anything but
// loopback, so a URL guard that failed would show up as a refusal in the child's stderr, not
// as traffic. (The Deno children run the documented command, --allow-net, and are only ever
// given loopback URLs.)

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { PARAMS } from "../lib/client/endpoints.ts";
import { createSimulator, type Simulator } from "../lib/simulator/index.ts";
import { textOf } from "./helpers/common.ts";
import { type Listening, listen } from "./helpers/listen.ts";
import { LOOPBACK_GUARD } from "./helpers/loopback-guard.ts";
import { TOOL_COUNT } from "./helpers/registry.ts";
import { within } from "./helpers/wait.ts";

const CLI = "dist/servers/cli.js";
const MCP_REMOTE = "node_modules/mcp-remote/dist/proxy.js";
const DENO = "node_modules/.bin/deno";
/** Longest wait for a child to print its port (Deno transpiles the sources on a cold cache), or to exit. */
const START_MS = 20_000;
const DENO_START_MS = 60_000;
const EXIT_MS = 15_000;

const LOOPBACK_ONLY = LOOPBACK_GUARD;

interface Child {
  url: string;
  port: number;
  process: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
let scratch: string;
let guardFile: string;

/** Spawn a server and wait (bounded) for its "listening on HOST:PORT" line on stderr. */
function startChild(command: string, args: string[], env: Record<string, string>, startMs = START_MS): Promise<Child> {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? scratch, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  const exited = new Promise<number | null>((done) =>
    child.once("exit", (code) => {
      children.delete(child);
      done(code);
    }),
  );
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} printed no port within ${startMs} ms; stderr:\n${stderr}`));
    }, startMs);
    child.stdout?.resume();
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolveStart({ url: `http://127.0.0.1:${port}`, port, process: child, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before listening; stderr:\n${stderr}`));
    });
  });
}

const BASE_ENV = { FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: "0", NECTAR_ALLOW_LOOPBACK_HTTP: "true" };

function startNodeServer(env: Record<string, string> = {}, args: string[] = []): Promise<Child> {
  return startChild(process.execPath, ["--require", guardFile, CLI, "--http", ...args], { ...BASE_ENV, ...env });
}

async function connectSdk(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } });
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await within(10_000, "connecting the SDK client", client.connect(transport));
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await within(20_000, `calling ${name}`, client.callTool({ name, arguments: args }))) as CallToolResult;

const text = textOf;

const JSON_ONLY = { "content-type": "application/json", accept: "application/json" };
const BOTH = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const initialize = (id = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1.0" } },
});
const post = (url: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${url}/mcp`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });

/** A raw HTTP/1.1 request with a Host header of our choosing (fetch will not set Host). */
function rawPost(port: number, host: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/mcp",
        headers: { ...BOTH, host, "content-length": Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (data += c));
        res.on("end", () => done({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("raw request timed out")));
    req.on("error", fail);
    req.end(body);
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * On one TCP connection, as a keep-alive client does: send an upload the server refuses,
 * read its answer, then send `next` on the same connection and wait (≤ 1.5 s) for an answer.
 */
async function afterRefusedUpload(
  port: number,
  upload: string,
  next: string,
): Promise<{ responses: RawResponse[]; closed: boolean }> {
  const request = (body: string) =>
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    `Accept: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const socket = connectTcp(port, "127.0.0.1");
  let received = "";
  let closed = false;
  const changed = new EventEmitter();
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => ((received += chunk), changed.emit("change")));
  socket.on("close", () => ((closed = true), changed.emit("change")));
  socket.on("error", () => {});
  const until = (test: () => boolean, ms: number) =>
    new Promise<void>((done) => {
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        changed.off("change", check);
        done();
      };
      const timer = setTimeout(() => (changed.off("change", check), done()), ms);
      changed.on("change", check);
      check();
    });
  try {
    socket.write(request(upload));
    await until(() => closed || parseResponses(received).length >= 1, 10_000);
    if (!closed) socket.write(request(next));
    await until(() => closed || parseResponses(received).length >= 2, 1500);
    return { responses: parseResponses(received), closed };
  } finally {
    socket.destroy();
  }
}

/** Complete HTTP/1.1 responses in `text` (Content-Length or chunked bodies). */
function parseResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) return out;
    const [statusLine = "", ...lines] = rest.slice(0, end).split("\r\n");
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
    );
    let body = rest.slice(end + 4);
    if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      if (body.length < length) return out;
      rest = body.slice(length);
      body = body.slice(0, length);
    } else if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
      let decoded = "";
      let at = 0;
      for (;;) {
        const lineEnd = body.indexOf("\r\n", at);
        if (lineEnd < 0) return out;
        const size = parseInt(body.slice(at, lineEnd), 16);
        if (body.length < lineEnd + 2 + size + 2) return out;
        decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      rest = body.slice(at);
      body = decoded;
    } else return out;
    out.push({ status: Number(statusLine.split(" ")[1]), headers, body });
  }
}

describe("HTTP server (built)", () => {
  let sim: Simulator;
  let dxp: Listening;
  let server: Child;
  /** New tokens and the X-Nectar-* headers that carry them: a credential (and answer cache) of the test's own. */
  const fresh = () => {
    const tokens = sim.issueTokens();
    const headers: Record<string, string> = {
      "X-Nectar-DXP-URL": dxp.url,
      "X-Nectar-Access-Token": tokens.accessToken,
      "X-Nectar-Refresh-Token": tokens.refreshToken,
      "X-Nectar-Domain-Name": "acme",
    };
    return { tokens, headers };
  };

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} exists: run npm run build first`);
    scratch = mkdtempSync(join(tmpdir(), "nectar-http-test-"));
    guardFile = join(scratch, "loopback-only.cjs");
    writeFileSync(guardFile, LOOPBACK_ONLY);
    sim = createSimulator({ sessionsPerTenant: 2000 });
    dxp = await listen(gate.serve(sim));
    server = await startNodeServer();
  });

  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    await dxp?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("serves every tool to the SDK's Streamable HTTP client with the header credentials", async () => {
    const { tokens, headers } = fresh();
    const client = await connectSdk(server.url, headers);
    try {
      const before = sim.requests.length;
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOL_COUNT);
      for (const tool of tools) {
        const args = tool.name === "configure_connection" ? { domainName: "acme" } : {};
        const result = await call(client, tool.name, args);
        assert.equal(result.isError, undefined, `${tool.name}: ${text(result)}`);
      }
      const seen = sim.requests.slice(before);
      assert.ok(seen.length >= 10, "the tools reached the DXP");
      assert.ok(
        seen.every((r) => r.token === tokens.accessToken),
        "every upstream call carried the header token",
      );
      assert.ok(
        seen.some((r) => r.tenant === "acme"),
        "the header tenant reached the DXP",
      );
      assert.ok(
        seen.every((r) => r.tenant === "acme" || r.tenant === null),
        "no other tenant was asked for",
      );
    } finally {
      await client.close();
    }
  });

  it("works end to end through mcp-remote with --header X-Nectar-...:value", async () => {
    const { tokens } = fresh();
    const before = sim.requests.length;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        MCP_REMOTE,
        `${server.url}/mcp`,
        "--allow-http",
        "--header",
        `X-Nectar-DXP-URL:${dxp.url}`,
        "--header",
        `X-Nectar-Access-Token:${tokens.accessToken}`,
        "--header",
        "X-Nectar-Domain-Name:acme",
      ],
      env: { PATH: process.env.PATH ?? "", HOME: scratch, MCP_REMOTE_CONFIG_DIR: join(scratch, "mcp-auth") },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: "mcp-remote-test", version: "1.0.0" });
    try {
      await within(20_000, "mcp-remote connecting", client.connect(transport)).catch((error: Error) => {
        throw new Error(`${error.message}\nmcp-remote stderr:\n${stderr}`);
      });
      const { tools } = await within(10_000, "tools/list through mcp-remote", client.listTools());
      assert.equal(tools.length, TOOL_COUNT);
      const result = await call(client, "get_session_summary");
      assert.equal(result.isError, undefined, text(result));
      assert.ok((result.structuredContent as { totalSessions: number }).totalSessions > 0);
      const seen = sim.requests.slice(before);
      assert.ok(seen.length > 0 && seen.every((r) => r.token === tokens.accessToken && r.tenant === "acme"));
    } finally {
      await client.close();
    }
  });

  it("answers the seed's curl initialize (Accept: application/json only) as JSON with a session id", async () => {
    // A session belongs to the credential headers that created it: the same ones on every request.
    const credentials = fresh().headers;
    const init = await post(server.url, { ...JSON_ONLY, ...credentials }, initialize());
    assert.equal(init.status, 200);
    assert.match(init.headers.get("content-type") ?? "", /^application\/json/);
    const session = init.headers.get("mcp-session-id");
    assert.ok(session, "an Mcp-Session-Id header");
    const body = (await init.json()) as { result: { serverInfo: { name: string } } };
    assert.equal(body.result.serverInfo.name, "nectar-dxp-mcp");

    const headers = { ...JSON_ONLY, ...credentials, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" };
    const initialized = await post(server.url, headers, { jsonrpc: "2.0", method: "notifications/initialized" });
    assert.equal(initialized.status, 202);
    const answer = await post(server.url, headers, {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "get_session_summary", arguments: {} },
    });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get("content-type") ?? "", /^application\/json/);
    const json = (await answer.json()) as { id: number; result: CallToolResult };
    assert.equal(json.id, 2);
    assert.equal(json.result.isError, undefined, text(json.result));
    assert.ok((json.result.structuredContent as { totalSessions: number }).totalSessions > 0);
  });

  it("streams progress notifications before the result when the client sends a progress token", async () => {
    const response = await post(
      server.url,
      { ...BOTH, ...fresh().headers },
      {
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "get_session_summary", arguments: {}, _meta: { progressToken: "p-7" } },
      },
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const stream = await within(15_000, "reading the SSE answer", response.text());
    const events = stream
      .split(/\n\n/)
      .map((e) => /^data: (.*)$/m.exec(e)?.[1])
      .filter((d): d is string => d !== undefined)
      .map(
        (d) =>
          JSON.parse(d) as {
            method?: string;
            id?: number;
            params?: { progressToken: string };
            result?: CallToolResult;
          },
      );
    const progress = events.filter((e) => e.method === "notifications/progress");
    const resultAt = events.findIndex((e) => e.id === 7 && e.result);
    assert.ok(progress.length > 0, `progress events in:\n${stream}`);
    assert.ok(progress.every((e) => e.params?.progressToken === "p-7"));
    assert.ok(resultAt > events.indexOf(progress[0]!), "progress came before the result");
    assert.equal(events[resultAt]!.result!.isError, undefined);
  });

  it("answers GET with 405, DELETE as the spec says, and unknown sessions with 404", async () => {
    const get = await fetch(`${server.url}/mcp`, { headers: { accept: "text/event-stream" } });
    assert.equal(get.status, 405);
    assert.match(get.headers.get("allow") ?? "", /POST/);
    await get.body?.cancel();

    const init = await post(server.url, BOTH, initialize());
    const session = init.headers.get("mcp-session-id")!;
    await init.body?.cancel();
    const deleted = await fetch(`${server.url}/mcp`, { method: "DELETE", headers: { "mcp-session-id": session } });
    assert.equal(deleted.status, 204);
    const list = { jsonrpc: "2.0", id: 3, method: "tools/list" };
    const afterDelete = await post(server.url, { ...BOTH, "mcp-session-id": session }, list);
    assert.equal(afterDelete.status, 404);
    await afterDelete.body?.cancel();

    const noId = await fetch(`${server.url}/mcp`, { method: "DELETE" });
    assert.equal(noId.status, 400);
    await noId.body?.cancel();

    const unknown = await post(server.url, { ...BOTH, "mcp-session-id": crypto.randomUUID() }, list);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: number } }).error.code, -32001);
  });

  it("refuses a foreign Origin or Host with 403 and accepts no Origin or a loopback one", async () => {
    const evil = await post(server.url, { ...BOTH, origin: "http://evil.example.com" }, initialize());
    assert.equal(evil.status, 403);
    assert.match(((await evil.json()) as { error: { message: string } }).error.message, /origin/i);

    const rebound = await rawPost(server.port, "evil.example.com", JSON.stringify(initialize()));
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /host not allowed/i);

    const plain = await post(server.url, BOTH, initialize());
    assert.equal(plain.status, 200);
    await plain.body?.cancel();
    const local = await post(server.url, { ...BOTH, origin: `http://127.0.0.1:${server.port}` }, initialize());
    assert.equal(local.status, 200);
    await local.body?.cancel();
  });

  it("refuses a 2 MiB body with 413 and a JSON-RPC error, and keeps serving", async () => {
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: { pad: "x".repeat(2 * 1024 * 1024) },
    });
    const { responses, closed } = await afterRefusedUpload(server.port, big, JSON.stringify(initialize()));
    const refused = responses[0];
    assert.ok(refused, "an answer to the upload");
    assert.equal(refused.status, 413);
    const error = JSON.parse(refused.body) as { jsonrpc: string; error: { code: number; message: string } };
    assert.equal(error.jsonrpc, "2.0");
    assert.match(error.error.message, /larger than/);
    // HTTP/1.1 on the refused upload's connection: either the 413 says "Connection: close",
    // or the next request on that kept-alive connection is answered. A connection kept
    // alive and then dropped loses the client's next request ("other side closed").
    if (refused.headers.connection !== "close") {
      assert.equal(
        responses[1]?.status,
        200,
        `the 413 said "Connection: ${refused.headers.connection ?? "(none)"}", yet the next request on that connection got ${responses[1] ? responses[1].status : `no answer (connection closed: ${closed})`}`,
      );
    }
    const ok = await post(server.url, BOTH, initialize());
    assert.equal(ok.status, 200, "a new connection is served");
    await ok.body?.cancel();
  });

  it("without credentials answers a data tool with an error naming the header and the env variable", async () => {
    const client = await connectSdk(server.url);
    try {
      const result = await call(client, "get_session_summary");
      assert.equal(result.isError, true);
      assert.match(text(result), /X-Nectar-DXP-URL/);
      assert.match(text(result), /NECTAR_DXP_URL/);
    } finally {
      await client.close();
    }
  });

  it("never forwards the MCP-level Authorization header upstream", async () => {
    const { tokens, headers } = fresh();
    const client = await connectSdk(server.url, { ...headers, Authorization: "Bearer mcp-level-secret" });
    try {
      const before = sim.requests.length;
      for (const name of ["get_session_summary", "get_tenant_names", "get_users"]) {
        const result = await call(client, name);
        assert.equal(result.isError, undefined, `${name}: ${text(result)}`);
      }
      const seen = sim.requests.slice(before);
      assert.ok(seen.length > 0);
      for (const r of seen) {
        assert.equal(r.token, tokens.accessToken);
        assert.ok(!JSON.stringify(r).includes("mcp-level-secret"));
      }
    } finally {
      await client.close();
    }
  });

  it("refuses a metadata-address DXP URL in the header before any request leaves", async () => {
    const client = await connectSdk(server.url, { ...fresh().headers, "X-Nectar-DXP-URL": "https://169.254.169.254" });
    try {
      const before = sim.requests.length;
      const result = await call(client, "get_session_summary");
      assert.equal(result.isError, true);
      assert.match(text(result), /metadata/);
      assert.match(text(result), /169\.254\.169\.254/);
      assert.equal(sim.requests.length, before, "the simulator saw nothing new");
      assert.doesNotMatch(server.stderr(), /LOOPBACK-GUARD/, "the server tried no outside connection");
    } finally {
      await client.close();
    }
  });

  it("answers /healthz and /readyz with 200", async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, "ready");
  });

  it("keeps one session's filter out of another session's calls", async () => {
    const { tokens: teams, headers: teamsHeaders } = fresh();
    const { tokens: other, headers: otherHeaders } = fresh();
    const a = await connectSdk(server.url, teamsHeaders);
    const b = await connectSdk(server.url, otherHeaders);
    try {
      const set = await call(a, "set_session_filter", { platforms: ["TEAMS"] });
      assert.equal(set.isError, undefined, text(set));
      const [ra, rb] = await Promise.all([call(a, "get_session_summary"), call(b, "get_session_summary")]);
      assert.equal(ra.isError, undefined, text(ra));
      assert.equal(rb.isError, undefined, text(rb));
      const of = (token: string) => sim.requests.filter((r) => r.token === token && r.path.startsWith("/dapi/session"));
      assert.ok(of(teams.accessToken).length > 0);
      assert.ok(
        of(teams.accessToken).every((r) => r.query[PARAMS.platforms] === "TEAMS"),
        "the filtering session sends its platforms",
      );
      assert.ok(of(other.accessToken).length > 0);
      assert.ok(
        of(other.accessToken).every((r) => !(PARAMS.platforms in r.query)),
        "the other session sends none",
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("with DEBUG_MODE=true logs upstream calls to stderr and never a token", async () => {
    const debug = await startNodeServer({ DEBUG_MODE: "true" });
    const { tokens: own, headers } = fresh();
    const client = await connectSdk(debug.url, { ...headers, Authorization: "Bearer mcp-level-secret" });
    try {
      const before = sim.requests.length;
      assert.equal((await call(client, "get_session_summary")).isError, undefined);
      // An expired access token: a 401, a refresh, and a new access token that must not be logged either.
      sim.setFaults({ failNext: [{ kind: "expire-token" }] });
      const refreshed = await call(client, "get_tenant_platforms");
      assert.equal(refreshed.isError, undefined, text(refreshed));
      // A token the DXP refuses: an error path, which must not echo it either.
      const { "X-Nectar-Refresh-Token": _, ...withoutRefresh } = headers;
      const rejected = await connectSdk(debug.url, {
        ...withoutRefresh,
        "X-Nectar-Access-Token": "not-a-real-token-0123456789",
      });
      try {
        const result = await call(rejected, "get_tenant_names");
        assert.equal(result.isError, true);
        assert.ok(!text(result).includes("not-a-real-token-0123456789"));
      } finally {
        await rejected.close();
      }
      // Everything it will ever log, not what arrived in time: read stderr once it has exited.
      const closed = new Promise((done) => debug.process.once("close", done)); // its pipes drained too
      debug.process.kill("SIGTERM");
      await within(EXIT_MS, "the debug server exiting", closed);
      const log = debug.stderr();
      assert.match(log, /upstream GET \/session\/summary/);
      const secrets = new Set([
        own.accessToken,
        own.refreshToken,
        "mcp-level-secret",
        "not-a-real-token-0123456789",
        ...sim.requests
          .slice(before)
          .map((r) => r.token)
          .filter((t): t is string => !!t),
      ]);
      assert.ok(secrets.size >= 5, "a refreshed token was used too");
      for (const secret of secrets) assert.ok(!log.includes(secret), `a token in the log: ${secret.slice(0, 12)}…`);
    } finally {
      sim.clearFaults();
      await client.close();
      debug.process.kill("SIGKILL");
    }
  });

  it("drains a call in flight on SIGTERM, reports not ready meanwhile, and exits 0", async () => {
    await sigtermDuringCall(await startNodeServer(), fresh().headers);
  });
});

/**
 * Holds the next DXP request for a path until the test releases it: a hung upstream the
 * test controls, so what is asserted is the order of events, not how long anything took.
 */
class UpstreamGate {
  #next: { path: string; arrived(): void; released: Promise<void> } | undefined;

  hold(path: string): { arrival: Promise<void>; release(): void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((done) => (arrived = done));
    const released = new Promise<void>((done) => (release = done));
    this.#next = { path, arrived, released };
    return { arrival, release };
  }

  serve(sim: Simulator): (request: Request) => Promise<Response> {
    return async (request) => {
      const held = this.#next;
      if (held && new URL(request.url).pathname.endsWith(held.path)) {
        this.#next = undefined;
        held.arrived();
        await held.released;
      }
      return sim.fetch(request);
    };
  }
}

const gate = new UpstreamGate();

/**
 * SIGTERM while a call waits on an upstream answer the test holds: the call completes once
 * released, /readyz answers 503 while it drains, a new call is not served, and the child exits 0.
 */
async function sigtermDuringCall(child: Child, headers: Record<string, string>): Promise<void> {
  const client = await connectSdk(child.url, headers);
  const held = gate.hold("/tenant/platforms");
  let released = false;
  try {
    const pending = call(client, "get_tenant_platforms").then((result) => ({ result, afterRelease: released }));
    await within(20_000, "the call reaching the DXP", held.arrival);
    child.process.kill("SIGTERM");
    const outcome = (r: Promise<Response>) =>
      r.then(
        async (res) => (await res.body?.cancel(), res.status),
        (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.name,
      );
    // The upstream answer is held, so the drain lasts until we release it: ask until it shows.
    const readiness: (number | string)[] = [];
    for (let i = 0; i < 400 && !readiness.includes(503); i++) {
      readiness.push(await outcome(fetch(`${child.url}/readyz`, { signal: AbortSignal.timeout(5000) })));
      if (!readiness.includes(503)) await new Promise((r) => setTimeout(r, 25));
    }
    const newCall = await outcome(post(child.url, BOTH, initialize()));
    released = true;
    held.release();
    const { result, afterRelease } = await pending;
    assert.equal(result.isError, undefined, text(result));
    assert.ok(afterRelease, "the call waited for the held upstream answer");
    assert.equal(await within(EXIT_MS, "the child exiting", child.exited), 0);
    assert.match(child.stderr(), /SIGTERM/);
    assert.notEqual(newCall, 200, "a call arriving during the drain is not served");
    assert.ok(readiness.includes(503), `/readyz answered 503 while draining (saw ${readiness.join(", ")})`);
  } finally {
    held.release();
    await client.close().catch(() => {});
    child.process.kill("SIGKILL");
  }
}

describe("HTTP server under Deno", () => {
  let sim: Simulator;
  let dxp: Listening;
  let tokens: { accessToken: string; refreshToken: string };
  const denoEnv = () => ({
    ...BASE_ENV,
    DENO_NO_UPDATE_CHECK: "1",
    DENO_NO_PROMPT: "1",
    NO_COLOR: "1",
    ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
  });
  const startDeno = (args: string[] = []) =>
    startChild(
      resolve(DENO),
      ["run", "--allow-net", "--allow-env", "--allow-read", "servers/deno-http.ts", ...args],
      denoEnv(),
      DENO_START_MS,
    );

  before(async () => {
    assert.ok(existsSync(DENO), `${DENO} exists: npm install the deno devDependency`);
    sim = createSimulator({ sessionsPerTenant: 2000 });
    dxp = await listen(gate.serve(sim));
    tokens = sim.issueTokens();
  });
  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    await dxp?.close();
  });

  it("serves tools/list and a tool call with header credentials", async () => {
    const deno = await startDeno();
    const client = await connectSdk(deno.url, {
      "X-Nectar-DXP-URL": dxp.url,
      "X-Nectar-Access-Token": tokens.accessToken,
      "X-Nectar-Domain-Name": "acme",
    });
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOL_COUNT);
      const before = sim.requests.length;
      const result = await call(client, "get_session_summary");
      assert.equal(result.isError, undefined, text(result));
      const seen = sim.requests.slice(before);
      assert.ok(seen.length > 0 && seen.every((r) => r.token === tokens.accessToken && r.tenant === "acme"));
    } finally {
      await client.close();
      deno.process.kill("SIGKILL");
    }
  });

  it("drains a call in flight on SIGTERM, reports not ready meanwhile, and exits 0", async () => {
    await sigtermDuringCall(await startDeno(), {
      "X-Nectar-DXP-URL": dxp.url,
      "X-Nectar-Access-Token": tokens.accessToken,
      "X-Nectar-Domain-Name": "acme",
    });
  });

  it("answers get_session_summary with data in --demo mode", async () => {
    const deno = await startDeno(["--demo"]);
    const client = await connectSdk(deno.url);
    try {
      const result = await call(client, "get_session_summary");
      assert.equal(result.isError, undefined, text(result));
      assert.ok((result.structuredContent as { totalSessions: number }).totalSessions > 0);
      assert.equal(
        ((await call(client, "get_connection_status")).structuredContent as { source: string }).source,
        "demo",
      );
    } finally {
      await client.close();
      deno.process.kill("SIGKILL");
    }
  });
});
