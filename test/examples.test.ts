// Every example runs, and the Claude Desktop configs name only real variables and headers.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { ENV } from "../lib/config.ts";
import { CREDENTIAL_HEADER_NAMES } from "../lib/http/credential-headers.ts";

const run = promisify(execFile);
const CONFIGS = "examples/claude-desktop";

interface ServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

describe("examples", () => {
  for (const [script, expected] of [
    ["examples/tour.mjs", /MCP 2026-07-28\): 17 tools[\s\S]*get_endpoint_test_summaries[\s\S]*Root cause: at Dallas, calls on WIFI are the poor ones[\s\S]*HIGH_JITTER[\s\S]*Root cause: Kestrel K5 headset is poor at every site[\s\S]*Incident: Northline Telecom \/ trunk NLT-2, from \d{4}-\d\d-\d\d 14:00 to \d{4}-\d\d-\d\d 20:00 UTC[\s\S]*EPC-DAL-/],
    ["examples/agent-sdk-client.mjs", /the worst site is Dallas[\s\S]*the leading insight at Dallas is [A-Z_]+ \(\d+ of \d+ sessions\)/],
    ["examples/agent-function-calling.mjs", /8 tool definitions[\s\S]*\(error\)[\s\S]*qualities/],
  ] as const) {
    it(`${script} runs and prints what it promises`, async () => {
      const { stdout } = await run(process.execPath, [script], { timeout: 60_000 });
      assert.match(stdout, expected);
    });
  }

  const files = readdirSync(CONFIGS).filter((f) => f.endsWith(".json"));
  it("has Claude Desktop configs for stdio, Windows, demo and remote", () => {
    assert.deepEqual(files.sort(), ["demo.json", "remote-windows.json", "remote.json", "stdio-windows.json", "stdio.json"]);
  });

  for (const file of files) {
    it(`${file} names only the server's real environment variables and headers`, () => {
      const config = JSON.parse(readFileSync(`${CONFIGS}/${file}`, "utf8")) as { mcpServers: Record<string, ServerEntry> };
      const entry = Object.values(config.mcpServers)[0]!;
      const envNames = new Set<string>(Object.values(ENV));
      for (const name of Object.keys(entry.env ?? {})) assert.ok(envNames.has(name), `${name} is a variable the server reads`);
      assert.equal(entry.command, file.includes("windows") ? "npx.cmd" : "npx");
      const headers = entry.args.flatMap((arg, i) => (entry.args[i - 1] === "--header" ? [arg] : []));
      if (file.startsWith("remote")) {
        assert.ok(entry.args.includes("mcp-remote"));
        assert.ok(headers.length > 0);
      } else {
        assert.ok(entry.args.includes("nectar-dxp-mcp"));
      }
      const known = new Set<string>(Object.values(CREDENTIAL_HEADER_NAMES));
      for (const header of headers) {
        const [name, value] = header.split(":");
        assert.ok(known.has(name!), `${name} is a header the server reads`);
        assert.doesNotMatch(header, /\s/, "no spaces around the colon");
        const variable = /^\$\{(\w+)\}$/.exec(value ?? "")?.[1];
        if (variable) assert.ok(entry.env?.[variable], `${variable} is set in env for mcp-remote to fill in`);
      }
    });
  }
});
