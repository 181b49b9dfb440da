// The built stdio server as Claude Desktop runs it: a child process spoken to over
// stdio by the SDK's client, its DXP the simulator over loopback HTTP.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { Client as ModernClient } from "@modelcontextprotocol/client";
import { StdioClientTransport as ModernStdioTransport } from "@modelcontextprotocol/client/stdio";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createSimulator, type Simulator } from "../lib/simulator/index.ts";
import { textOf } from "./helpers/common.ts";
import { type Listening, listen } from "./helpers/listen.ts";
import { TOOL_COUNT } from "./helpers/registry.ts";

const CLI = "dist/servers/cli.js";
const run = promisify(execFile);

async function connect(env: Record<string, string>, args: string[] = []) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "stdio-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

const text = textOf;

describe("stdio server (built)", () => {
  let sim: Simulator;
  let http: Listening;
  let tokens: { accessToken: string; refreshToken: string };
  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} exists: run npm run build first`);
    sim = createSimulator({ sessionsPerTenant: 2000 });
    http = await listen(sim.fetch);
    tokens = sim.issueTokens();
  });
  after(() => http.close());

  it("prints its version and help", async () => {
    const version = await run(process.execPath, [CLI, "--version"]);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = await run(process.execPath, [CLI, "--help"]);
    assert.match(help.stdout, /--demo/);
    assert.match(help.stdout, /NECTAR_DXP_URL/);
  });

  it("serves every tool from the environment's DXP and logs only to stderr, tokens redacted", async () => {
    const { client, stderr } = await connect({
      NECTAR_DXP_URL: http.url,
      NECTAR_ACCESS_TOKEN: tokens.accessToken,
      NECTAR_REFRESH_TOKEN: tokens.refreshToken,
      NECTAR_DOMAIN_NAME: "acme",
      DEBUG_MODE: "true",
    });
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOL_COUNT);
      const instructions = client.getInstructions() ?? "";
      assert.match(instructions, /UTC/);
      for (const tool of tools) {
        const args = tool.name === "configure_connection" ? { domainName: "acme" } : {};
        const result = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
        assert.equal(result.isError, undefined, `${tool.name}: ${text(result)}`);
      }
      assert.ok(
        sim.requests.some((r) => r.token === tokens.accessToken),
        "the environment's token reached the DXP",
      );
      // stdout carried only JSON-RPC (the client would have failed otherwise); stderr has the debug log
      await new Promise((r) => setTimeout(r, 50));
      assert.match(stderr(), /upstream GET \/session\/summary/);
      assert.ok(!stderr().includes(tokens.accessToken), "no access token in the log");
      assert.ok(!stderr().includes(tokens.refreshToken), "no refresh token in the log");
    } finally {
      await client.close();
    }
  });

  it("speaks MCP 2026-07-28 to a client that negotiates it, keeping the filter for the process", async () => {
    const client = new ModernClient({ name: "stdio-2026", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(
      new ModernStdioTransport({
        command: process.execPath,
        args: [CLI, "--demo"],
        env: { PATH: process.env.PATH ?? "" },
        stderr: "ignore",
      }),
    );
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
      assert.equal((await client.listTools()).tools.length, TOOL_COUNT);
      await client.callTool({
        name: "set_session_filter",
        arguments: { timePeriod: "LAST_WEEK", locations: ["Dallas"] },
      });
      const answer = (await client.callTool({ name: "get_session_summary", arguments: {} })) as CallToolResult;
      assert.equal(answer.isError, undefined, text(answer));
      assert.match(text(answer), /LAST_WEEK[\s\S]*Dallas/);
    } finally {
      await client.close();
    }
  });

  it("runs --demo on the embedded DXP with no credentials", async () => {
    const { client } = await connect({}, ["--demo"]);
    try {
      const status = (await client.callTool({ name: "get_connection_status", arguments: {} })) as CallToolResult;
      assert.equal((status.structuredContent as { source: string }).source, "demo");
      assert.equal((status.structuredContent as { connected: boolean }).connected, true);
      const summary = (await client.callTool({ name: "get_session_summary", arguments: {} })) as CallToolResult;
      assert.equal(summary.isError, undefined, text(summary));
      assert.ok((summary.structuredContent as { totalSessions: number }).totalSessions > 0);
    } finally {
      await client.close();
    }
  });

  it("without configuration answers data tools with how to configure", async () => {
    const { client } = await connect({});
    try {
      const result = (await client.callTool({ name: "get_session_summary", arguments: {} })) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match(text(result), /NECTAR_DXP_URL/);
    } finally {
      await client.close();
    }
  });

  it("refuses an unknown transport with a clear message", async () => {
    const failed = await run(process.execPath, [CLI], {
      env: { PATH: process.env.PATH ?? "", MCP_TRANSPORT: "carrier-pigeon" },
    }).then(
      () => assert.fail("should exit non-zero"),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /MCP_TRANSPORT must be "stdio" or "http"/);
  });
});
