// Secrets: a representative workload through the built server, over stdio (DEBUG_MODE on)
// and over HTTP (DEBUG_MODE on, tokens from the environment, from X-Nectar-* headers and
// from configure_connection), with DXP faults and token refreshes (short-lived tokens
// rotate on every call). Everything the server writes — stderr, every JSON-RPC message,
// every HTTP answer with its headers — is scanned for every token it ever held, rotated
// ones included. None may appear.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { createSimulator, type Simulator } from "../../lib/simulator/index.ts";
import {
  CLI,
  DATA_TOOLS,
  findLeaks,
  type HttpChild,
  markStarted,
  preload,
  SCALE,
  saveResult,
  sized,
  startHttpChild,
  startUpstream,
  type Upstream,
  within,
} from "./helpers.ts";

const TIMEOUT_MS = 1000;
const ROUNDS = sized(1, 3);

/** Fault scenarios the workload runs under (the upstream's own socket switches included). */
const SCENARIOS: { name: string; arm(u: Upstream): void }[] = [
  { name: "none", arm: () => {} },
  {
    name: "401 then refresh",
    arm: (u) => u.sim.setFaults({ failNext: [{ kind: "expire-token" }, { kind: "expire-token" }] }),
  },
  {
    name: "refresh rejected",
    arm: (u) => u.sim.setFaults({ failNext: [{ kind: "expire-token" }], rejectRefresh: true }),
  },
  { name: "5xx storm", arm: (u) => u.sim.setFaults({ rate5xx: 1, status5xx: 502 }) },
  { name: "429 storm", arm: (u) => u.sim.setFaults({ rate429: 1, retryAfterSeconds: 30 }) },
  {
    name: "malformed, HTML, truncated",
    arm: (u) =>
      u.sim.setFaults({
        failNext: [{ kind: "malformed" }, { kind: "status", status: 200, body: "html" }, { kind: "truncated" }],
      }),
  },
  { name: "hang", arm: (u) => u.sim.setFaults({ failNext: [{ kind: "hang", ms: TIMEOUT_MS + 500 }] }) },
  { name: "huge", arm: (u) => u.sim.setFaults({ failNext: [{ kind: "huge", bytes: 11 * 1024 * 1024 }] }) },
  {
    name: "403 and 404",
    arm: (u) =>
      u.sim.setFaults({
        failNext: [
          { kind: "status", status: 403 },
          { kind: "status", status: 404 },
        ],
      }),
  },
  { name: "connection reset", arm: (u) => (u.reset = "all") },
  { name: "dropped mid-body", arm: (u) => (u.dropMidBody = 3) },
];

async function initializeOn(url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "secrets", version: "1" } },
    }),
    signal: AbortSignal.timeout(10_000),
  });
  await response.text();
  return response.headers.get("mcp-session-id")!;
}

const clear = (u: Upstream) => {
  u.sim.clearFaults();
  u.clear();
};

describe(`secrets in everything the server writes (${SCALE})`, () => {
  let sim: Simulator;
  let upstream: Upstream;
  /** Every token handed out; rotated ones come from the upstream's record of refresh answers. */
  const issued: string[] = [];
  /** [where, what the server wrote]. */
  const outputs: [string, string][] = [];
  let calls = 0;
  let leaksMain = 0;
  let leaksBadToken = 0;
  let stdio: StdioServer;
  let stdioForBadTokens: StdioServer;
  let http: HttpChild;

  const issue = (lifetimeSeconds?: number) => {
    const grant = sim.issueTokens({ lifetimeSeconds });
    issued.push(grant.accessToken, grant.refreshToken);
    return grant;
  };
  const allTokens = () => {
    const tokens = new Set<string>(issued);
    for (const t of upstream.rotated) tokens.add(t);
    for (const r of sim.requests) if (r.token) tokens.add(r.token);
    return tokens;
  };

  before(async () => {
    markStarted("secrets");
    sim = createSimulator({ sessionsPerTenant: 200 });
    upstream = await startUpstream(sim);
    // Renewed after half their life: tokens rotate every second of the workload.
    const stdioEnv = issue(2);
    const httpEnv = issue(2);
    [stdio, stdioForBadTokens, http] = await Promise.all([
      stdioServer({
        NECTAR_DXP_URL: upstream.url,
        NECTAR_ACCESS_TOKEN: stdioEnv.accessToken,
        NECTAR_REFRESH_TOKEN: stdioEnv.refreshToken,
        NECTAR_DOMAIN_NAME: "acme",
      }),
      stdioServer({ NECTAR_DXP_URL: upstream.url, NECTAR_DOMAIN_NAME: "acme" }),
      startHttpChild({
        NECTAR_DXP_URL: upstream.url,
        NECTAR_ACCESS_TOKEN: httpEnv.accessToken,
        NECTAR_REFRESH_TOKEN: httpEnv.refreshToken,
        NECTAR_DOMAIN_NAME: "acme",
        DEBUG_MODE: "true",
        NECTAR_TIMEOUT_MS: String(TIMEOUT_MS),
        // Every call goes to the DXP and meets the faults: no answers reused.
        NECTAR_CACHE_TTL_SECONDS: "0",
      }),
    ]);
  });

  after(async () => {
    await stdio?.close();
    await stdioForBadTokens?.close();
    await http?.stop();
    await upstream?.close();
    const tokens = allTokens();
    const bytes = outputs.reduce((n, [, t]) => n + t.length, 0);
    console.log(
      `\nSecrets (${SCALE}): ${calls} calls; ${tokens.size} tokens (${upstream.rotated.size} rotated) checked against ${(bytes / 1024).toFixed(0)} KiB of output; leaks found: ${leaksMain + leaksBadToken}`,
    );
    saveResult({
      file: "secrets",
      lines: [
        `secrets: ${tokens.size} tokens (${upstream.rotated.size} of them rotated) checked against ${(bytes / 1024).toFixed(0)} KiB of stderr, JSON-RPC messages and HTTP answers; ` +
          `leaks: ${leaksMain} in the workload, ${leaksBadToken} with a configured token that is not a valid header value`,
      ],
      callsServed: calls,
      leaksFound: leaksMain + leaksBadToken,
      tokensChecked: tokens.size,
      bytesScanned: bytes,
    });
  });

  // ------------------------------------------------------------------ the servers

  interface StdioServer {
    call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
    stderr(): string;
    close(): Promise<void>;
  }

  async function stdioServer(env: Record<string, string>): Promise<StdioServer> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--require", preload(), CLI, "--stdio"],
      env: {
        PATH: process.env.PATH ?? "",
        DEBUG_MODE: "true",
        NECTAR_TIMEOUT_MS: String(TIMEOUT_MS),
        NECTAR_CACHE_TTL_SECONDS: "0",
        ...env,
      },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: "secrets", version: "1.0.0" });
    await within(15_000, "starting the stdio server", client.connect(transport));
    // Everything the server writes on stdout: every JSON-RPC message, results and errors alike.
    const messages: string[] = [];
    const onmessage = transport.onmessage!;
    transport.onmessage = (message: JSONRPCMessage) => {
      messages.push(JSON.stringify(message));
      onmessage(message);
    };
    await client.listTools();
    let closed = false;
    return {
      call: async (name, args = {}) => {
        calls += 1;
        return (await client.callTool({ name, arguments: args }, undefined, { timeout: 20_000 })) as CallToolResult;
      },
      stderr: () => stderr,
      close: async () => {
        if (closed) return;
        closed = true;
        await client.close();
        outputs.push(["stdio stderr", stderr], ["stdio stdout", messages.join("\n")]);
      },
    };
  }

  const rpc = async (headers: Record<string, string>, body: unknown) => {
    calls += 1;
    const response = await fetch(`${http.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", "mcp-protocol-version": "2025-06-18", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    outputs.push([
      `HTTP ${response.status}`,
      `${[...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${text}`,
    ]);
    return { response, text };
  };
  const toolCall = (
    headers: Record<string, string>,
    name: string,
    args: Record<string, unknown> = {},
    stream = false,
  ) =>
    rpc(
      { ...headers, accept: stream ? "application/json, text/event-stream" : "application/json" },
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } },
    );

  // ------------------------------------------------------------------ the workload

  it("over stdio and HTTP with DEBUG_MODE, tokens from the environment, headers and configure_connection, through every fault and refresh, writes no token anywhere", async () => {
    const headerUsers = Array.from({ length: 2 }, () => issue(2));
    const configured = [issue(2), issue(2)];
    const httpSessions = await Promise.all(
      [undefined, ...headerUsers].map(async (user) => {
        const headers: Record<string, string> = user
          ? {
              "x-nectar-access-token": user.accessToken,
              "x-nectar-refresh-token": user.refreshToken,
              "x-nectar-domain-name": "globex",
            }
          : {};
        return { ...headers, "mcp-session-id": await initializeOn(http.url, headers) };
      }),
    );
    const everyTool = DATA_TOOLS;
    for (let round = 0; round < ROUNDS; round++) {
      // Both servers meet the same fault at the same time.
      for (const scenario of SCENARIOS) {
        scenario.arm(upstream);
        await Promise.all([
          ...everyTool.map((tool) => stdio.call(tool)),
          ...httpSessions.flatMap((headers, i) => everyTool.map((tool) => toolCall(headers, tool, {}, i % 2 === 1))),
        ]);
        clear(upstream);
      }
      // Credentials from configure_connection, on both.
      const session = { "mcp-session-id": await initializeOn(http.url, {}) };
      assert.equal(
        (
          await stdio.call("configure_connection", {
            accessToken: configured[0]!.accessToken,
            refreshToken: configured[0]!.refreshToken,
            domainName: "globex",
          })
        ).isError,
        undefined,
      );
      await toolCall(session, "configure_connection", {
        accessToken: configured[1]!.accessToken,
        refreshToken: configured[1]!.refreshToken,
      });
      for (const scenario of SCENARIOS.slice(0, 4)) {
        scenario.arm(upstream);
        const few = ["get_session_summary", "get_tenant_names", "get_connection_status"];
        await Promise.all([...few.map((tool) => stdio.call(tool)), ...few.map((tool) => toolCall(session, tool))]);
        clear(upstream);
      }
      await stdio.call("configure_connection", { clear: true });
      // Refusals: a header that is not a valid token, an unknown session.
      await toolCall(
        { "x-nectar-access-token": `${configured[1]!.accessToken} trailing`, "x-nectar-domain-name": "acme" },
        "get_tenant_names",
      );
      await toolCall(
        { "x-nectar-access-token": configured[1]!.accessToken, "mcp-session-id": "unknown" },
        "get_tenant_names",
      );
    }
    await stdio.close();
    const scanned: [string, string][] = [...outputs, ["HTTP stderr", http.stderr()]];
    const leaks = findLeaks(allTokens(), scanned);
    leaksMain += leaks.length;
    assert.ok(upstream.rotated.size > 0, "tokens were rotated by refreshes");
    assert.match(stdio.stderr(), /debug upstream GET/, "DEBUG_MODE logged the upstream calls over stdio");
    assert.match(http.stderr(), /debug upstream GET/, "DEBUG_MODE logged the upstream calls over HTTP");
    assert.deepEqual(leaks, [], "no token in stderr, stdout or any HTTP answer");
  });

  it("never echoes a configured token that cannot be sent as a header, over stdio or HTTP", async () => {
    // configure_connection accepts any string; fetch refuses to put CR/LF, NUL or non-Latin-1
    // characters in a header and says so with the whole header value in its message.
    const secret = `Sk${crypto.randomUUID().replaceAll("-", "")}`;
    const bad = [`${secret}\r\nX-Evil: 1`, `${secret}\u0000`, `${secret}\u4e2d`, `${secret} with spaces`];
    issued.push(secret);
    const mark = outputs.length;
    const stderrMark = http.stderr().length;
    const overStdio = async () => {
      for (const token of bad) {
        await stdioForBadTokens.call("configure_connection", { accessToken: token });
        outputs.push(["stdio result (bad token)", JSON.stringify(await stdioForBadTokens.call("get_tenant_names"))]);
      }
    };
    // Over HTTP, one session per token, side by side.
    const overHttp = () =>
      Promise.all(
        bad.map(async (token) => {
          const session = { "mcp-session-id": await initializeOn(http.url, {}) };
          await toolCall(session, "configure_connection", { accessToken: token });
          await toolCall(session, "get_tenant_names");
        }),
      );
    await Promise.all([overStdio(), overHttp()]);
    await stdioForBadTokens.close();
    const found = [...outputs.slice(mark), ["HTTP stderr", http.stderr().slice(stderrMark)] as [string, string]]
      .filter(([, text]) => text.includes(secret))
      .map(([where]) => where);
    leaksBadToken = found.length;
    assert.deepEqual(found, [], `the token appeared in: ${found.join(", ")}`);
  });
});
