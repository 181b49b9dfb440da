// Every example runs, and the client configs (Claude Desktop; Claude Code, Cursor, VS Code and
// Windsurf under examples/clients/, docs/clients.md) name only real variables and headers.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { ENV } from "../lib/config.ts";
import { CREDENTIAL_HEADER_NAMES } from "../lib/http/credential-headers.ts";
import { TOOL_COUNT } from "./helpers/registry.ts";

const run = promisify(execFile);
const CONFIGS = "examples/claude-desktop";
const CLIENTS = "examples/clients";
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; bin: Record<string, string> };

/** How each client's file spells its servers and a remote server's URL (docs/clients.md). */
const CLIENT_FORMATS = {
  "claude-code": { servers: "mcpServers", url: "url", remoteType: "http", stdioType: "stdio" },
  cursor: { servers: "mcpServers", url: "url", remoteType: undefined, stdioType: undefined },
  vscode: { servers: "servers", url: "url", remoteType: "http", stdioType: "stdio" },
  windsurf: { servers: "mcpServers", url: "serverUrl", remoteType: undefined, stdioType: undefined },
} as const;

/** A stdio entry runs our bin: through npx by the package name, or node on a checkout's built bin. */
function runsOurServer(entry: { command?: string; args?: string[] }): boolean {
  const args = entry.args ?? [];
  if (entry.command === "node") return args[0]?.endsWith(`/${pkg.bin[pkg.name]}`) ?? false;
  return /^npx(\.cmd)?$/.test(entry.command ?? "") && args.includes(pkg.name);
}

interface ServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

describe("examples", () => {
  for (const [script, expected] of [
    // The tour runs on the real clock; drilldown-causes.test.ts pins the same walk on fixed clocks.
    [
      "examples/tour.mjs",
      new RegExp(
        String.raw`MCP 2026-07-28\): ${TOOL_COUNT} tools[\s\S]*get_endpoint_test_summaries[\s\S]*Root cause: at Dallas, calls on WIFI are the poor ones[\s\S]*HIGH_JITTER[\s\S]*Root cause: Kestrel K5 headset is poor at every site[\s\S]*Incident: Northline Telecom \/ trunk NLT-2, from \d{4}-\d\d-\d\d 14:00 to \d{4}-\d\d-\d\d 20:00 UTC[\s\S]*EPC-DAL-`,
      ),
    ],
    [
      "examples/agent-sdk-client.mjs",
      /the worst site is Dallas[\s\S]*the leading insight at Dallas is [A-Z_]+ \(\d+ of \d+ sessions\)/,
    ],
    ["examples/agent-function-calling.mjs", /8 tool definitions[\s\S]*\(error\)[\s\S]*qualities/],
  ] as const) {
    it(`${script} runs and prints what it promises`, async () => {
      const { stdout } = await run(process.execPath, [script], { timeout: 60_000 });
      assert.match(stdout, expected);
    });
  }

  const files = readdirSync(CONFIGS).filter((f) => f.endsWith(".json"));
  it("has Claude Desktop configs for a checkout, stdio, Windows, demo and remote", () => {
    assert.deepEqual(files.sort(), [
      "checkout.json",
      "demo.json",
      "remote-windows.json",
      "remote.json",
      "stdio-windows.json",
      "stdio.json",
    ]);
  });

  for (const file of files) {
    it(`${file} names only the server's real environment variables and headers`, () => {
      const config = JSON.parse(readFileSync(`${CONFIGS}/${file}`, "utf8")) as {
        mcpServers: Record<string, ServerEntry>;
      };
      const entry = Object.values(config.mcpServers)[0]!;
      const envNames = new Set<string>(Object.values(ENV));
      for (const name of Object.keys(entry.env ?? {}))
        assert.ok(envNames.has(name), `${name} is a variable the server reads`);
      if (file === "checkout.json") assert.ok(runsOurServer(entry), "node on the checkout's dist/servers/cli.js");
      else assert.equal(entry.command, file.includes("windows") ? "npx.cmd" : "npx");
      const headers = entry.args.flatMap((arg, i) => (entry.args[i - 1] === "--header" ? [arg] : []));
      if (file.startsWith("remote")) {
        assert.ok(entry.args.includes("mcp-remote"));
        assert.ok(headers.length > 0);
      } else {
        assert.ok(runsOurServer(entry));
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

describe("client configs in examples/clients", () => {
  const envNames = new Set<string>(Object.values(ENV));
  const headerNames = new Set<string>(Object.values(CREDENTIAL_HEADER_NAMES));

  for (const [client, format] of Object.entries(CLIENT_FORMATS)) {
    for (const transport of ["stdio", "http"] as const) {
      const file = `${CLIENTS}/${client}/${transport}.json`;
      it(`${client}: ${transport}.json is the client's format and names our bin or our headers`, () => {
        assert.ok(existsSync(file), `${file} exists`);
        const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        const servers = config[format.servers] as Record<string, Record<string, unknown>> | undefined;
        assert.ok(servers, `${file} lists its servers under "${format.servers}"`);
        const entries = Object.values(servers);
        assert.equal(entries.length, 1);
        const entry = entries[0]!;
        if (transport === "stdio") {
          assert.equal(entry.type, format.stdioType);
          assert.ok(runsOurServer(entry as { command?: string; args?: string[] }), `${file} runs ${pkg.name}`);
          const env = entry.env as Record<string, string>;
          for (const name of Object.keys(env)) assert.ok(envNames.has(name), `${name} is a variable the server reads`);
        } else {
          assert.equal(entry.type, format.remoteType);
          assert.match(
            String(entry[format.url]),
            /^https:\/\/[^/]+\/mcp$/,
            `the server's /mcp URL is under "${format.url}"`,
          );
          for (const other of ["url", "serverUrl"].filter((key) => key !== format.url))
            assert.ok(!(other in entry), `${client} reads "${format.url}", not "${other}"`);
          const headers = entry.headers as Record<string, string>;
          for (const name of Object.keys(headers))
            assert.ok(headerNames.has(name), `${name} is a header the server reads`);
          assert.ok("X-Nectar-Access-Token" in headers);
        }
        // Tokens come from the client's variable expansion, never written into the file.
        const values = (transport === "stdio" ? entry.env : entry.headers) as Record<string, string>;
        const tokens =
          transport === "stdio"
            ? [ENV.accessToken, ENV.refreshToken]
            : ["X-Nectar-Access-Token", "X-Nectar-Refresh-Token"];
        for (const name of tokens)
          assert.match(
            values[name] ?? "",
            /^\$\{(env:|input:)?[\w-]+\}$/,
            `${name} is a variable, not a literal token`,
          );
      });
    }
  }

  it("claude-code/add.sh adds the same two servers with claude mcp add", () => {
    const script = readFileSync(`${CLIENTS}/claude-code/add.sh`, "utf8").replace(/\\\n\s*/g, " ");
    const adds = script.split("\n").filter((line) => line.startsWith("claude mcp add "));
    assert.equal(adds.length, 2);
    const [stdio, http] = adds as [string, string];
    assert.match(stdio, /--transport stdio .* -- npx -y nectar-dxp-mcp$/);
    for (const m of stdio.matchAll(/--env (\w+)=/g))
      assert.ok(envNames.has(m[1]!), `${m[1]} is a variable the server reads`);
    assert.match(http, /--transport http .*https:\/\/\S+\/mcp/);
    const headers = [...http.matchAll(/--header "([^:]+):/g)].map((m) => m[1]!);
    assert.ok(headers.includes("X-Nectar-Access-Token"));
    for (const name of headers) assert.ok(headerNames.has(name), `${name} is a header the server reads`);
  });

  it("docs/clients.md links every example file", () => {
    const doc = readFileSync("docs/clients.md", "utf8");
    const linked = new Set([...doc.matchAll(/\]\(\.\.\/(examples\/[^)]+)\)/g)].map((m) => m[1]!));
    const all = [
      ...readdirSync(CONFIGS).map((f) => `${CONFIGS}/${f}`),
      ...Object.keys(CLIENT_FORMATS).flatMap((client) =>
        readdirSync(`${CLIENTS}/${client}`).map((f) => `${CLIENTS}/${client}/${f}`),
      ),
    ];
    for (const file of all) assert.ok(linked.has(file), `docs/clients.md links ${file}`);
    for (const file of linked) assert.ok(existsSync(file), `${file}, linked from docs/clients.md, exists`);
  });
});
