// Every configuration error ends the CLI the same way: exit code 2 and a line that says
// what is wrong and what to do. Spawned as a user runs it: the built bin (npm test builds it;
// alone, run `npm run build:fast` first).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readConfig } from "../lib/config.ts";
import { ConfigurationError } from "../lib/errors.ts";
import { NO, parseYesNo, YES } from "../lib/yes-no.ts";

const cli = fileURLToPath(new URL("../dist/servers/cli.js", import.meta.url));

/** Run the CLI with only `env` (and PATH), over HTTP on an ephemeral loopback port; resolves with its exit code and stderr. */
function runCli(
  env: Record<string, string>,
  args: string[] = ["--http"],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? "", FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: "0", ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
    child.stdin?.end();
  });
}

describe("a configuration error at startup", () => {
  const cases: [string, Record<string, string>, RegExp, string[]?][] = [
    ["a bad FASTMCP_PORT", { FASTMCP_PORT: "eighty" }, /FASTMCP_PORT must be a port number.*Unset it/],
    [
      "a bad NECTAR_MCP_ALLOWED_HOSTS",
      { NECTAR_MCP_ALLOWED_HOSTS: "https://mcp.example.com/path" },
      /Allowed MCP host .* is not a host.*Use values such as/,
    ],
    [
      "a yes/no variable set to something else",
      { NECTAR_ALLOW_PRIVATE_ADDRESSES: "maybe" },
      /NECTAR_ALLOW_PRIVATE_ADDRESSES must be yes or no.*Use 1, true, yes, on/,
    ],
    [
      "an unknown tool in NECTAR_TOOLS",
      { NECTAR_TOOLS: "get_weather" },
      /NECTAR_TOOLS: Unknown tool or group "get_weather".*endpoint_tests/,
    ],
    ["an unknown argument", {}, /Unknown argument --bogus\. Try --help\./, ["--bogus"]],
  ];
  for (const [what, env, says, args] of cases) {
    it(`${what} exits 2 with what is wrong and what to do`, async () => {
      const { code, stderr } = await runCli(env, args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, says);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    });
  }
});

describe("yes/no settings", () => {
  it("accept the same spellings everywhere, in any case and with spaces around", () => {
    for (const v of [...YES, "YES", " True "]) assert.equal(parseYesNo("X", v), true, v);
    for (const v of [...NO, "", undefined, "OFF"]) assert.equal(parseYesNo("X", v), false, String(v));
  });

  it("read NECTAR_ALLOW_PRIVATE_ADDRESSES=yes as yes, like DEBUG_MODE=yes", () => {
    const config = readConfig({
      NECTAR_ALLOW_PRIVATE_ADDRESSES: "yes",
      DEBUG_MODE: "yes",
      NECTAR_READ_ONLY: "on",
      NECTAR_ALLOW_LOOPBACK_HTTP: "1",
    });
    assert.equal(config.urlPolicy.allowPrivateAddresses, true);
    assert.equal(config.debug, true);
    assert.equal(config.toolSelection.readOnly, true);
    assert.equal(config.urlPolicy.allowLoopbackHttp, true);
  });

  it("refuse an unrecognised value with a configuration error naming the variable and the accepted spellings", () => {
    assert.throws(
      () => readConfig({ DEBUG_MODE: "verbose" }),
      (e: unknown) =>
        e instanceof ConfigurationError &&
        /DEBUG_MODE/.test(e.message) &&
        /1, true, yes, on/.test(e.userMessage) &&
        /0, false, no, off/.test(e.userMessage),
    );
  });
});
