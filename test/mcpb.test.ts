// The MCP Bundle Claude Desktop installs: its manifest, checked with the mcpb package's own
// validator and against the server it describes (env names, tools, prompts, version), and
// the bundle itself, built into a temporary folder, unpacked as Claude Desktop unpacks it
// and started with the command line and environment Claude Desktop derives from the
// manifest and the user's settings, where no node_modules can help it.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
  getMcpConfigForManifest,
  hasRequiredConfigMissing,
  MANIFEST_SCHEMAS,
  unpackExtension,
  validateManifest,
} from "@anthropic-ai/mcpb";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ENV, readConfig } from "../lib/config.ts";
import { prompts } from "../lib/prompts.ts";
import { configuredTools } from "../lib/server/configured-tools.ts";
import { createSimulator } from "../lib/simulator/index.ts";
import { allTools } from "../lib/tools/index.ts";
import { VERSION } from "../lib/version.ts";
import { type Bundle, buildBundle, MANIFEST_SOURCE, manifestJson } from "../mcpb/build.ts";
import { buildManifest, ENTRY_POINT, ICON, MANIFEST_VERSION, USER_CONFIG } from "../mcpb/manifest.ts";
import { textOf } from "./helpers/common.ts";
import { type Listening, listen } from "./helpers/listen.ts";

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; engines: { node: string } };
const manifest = buildManifest();
type SchemaVersion = keyof typeof MANIFEST_SCHEMAS;

/** The manifest as the mcpb package parses it, or a failure listing every issue. */
function parse(data: unknown) {
  const version = (data as { manifest_version?: string }).manifest_version as SchemaVersion;
  assert.ok(version in MANIFEST_SCHEMAS, `manifest_version ${version} is one the mcpb package knows`);
  const result = MANIFEST_SCHEMAS[version].safeParse(data);
  assert.ok(
    result.success,
    `the manifest is valid: ${result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
  return result.data;
}

/** validateManifest() prints its verdict with console.log; the verdict is what we want. */
function validates(path: string): boolean {
  const log = console.log;
  const lines: string[] = [];
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const ok = validateManifest(path);
    if (!ok) log(lines.join("\n"));
    return ok;
  } finally {
    console.log = log;
  }
}

const text = textOf;

describe("MCP Bundle manifest", () => {
  it("passes the mcpb package's validator (its CLI's validateManifest and the schema of its manifest_version)", () => {
    const dir = mkdtempSync(join(tmpdir(), "nectar-mcpb-manifest-"));
    try {
      writeFileSync(join(dir, "manifest.json"), manifestJson(manifest));
      copyFileSync(join("mcpb", ICON), join(dir, ICON));
      assert.equal(validates(dir), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(manifest.manifest_version, MANIFEST_VERSION);
    parse(manifest);
  });

  it("is what mcpb/manifest.json holds (regenerate it with npm run build:mcpb)", () => {
    assert.equal(
      readFileSync(MANIFEST_SOURCE, "utf8"),
      manifestJson(manifest),
      "mcpb/manifest.json is stale: run npx tsx mcpb/build.ts --manifest-only (or npm run build:mcpb)",
    );
    assert.equal(validates(MANIFEST_SOURCE), true);
  });

  it("is format 0.3 with an icon, the repository, support and a privacy policy (0.3 asks for one: the extension reaches the user's DXP)", () => {
    assert.equal(manifest.manifest_version, "0.3");
    const pkgMeta = JSON.parse(readFileSync("package.json", "utf8")) as {
      homepage: string;
      bugs: { url: string };
      repository: { url: string };
    };
    assert.equal(manifest.icon, ICON);
    const png = readFileSync(join("mcpb", ICON));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
    assert.deepEqual(
      [png.readUInt32BE(16), png.readUInt32BE(20)],
      [512, 512],
      "512×512, the size Claude Desktop recommends",
    );
    assert.equal(manifest.repository.url, pkgMeta.repository.url.replace(/^git\+/, "").replace(/\.git$/, ""));
    assert.equal(manifest.homepage, pkgMeta.homepage);
    assert.equal(manifest.support, pkgMeta.bugs.url);
    assert.equal(manifest.privacy_policies.length, 1);
    const policy = /\/blob\/main\/(.+)$/.exec(manifest.privacy_policies[0]!)?.[1];
    assert.ok(policy, "the policy is a file of the repository");
    assert.match(readFileSync(policy, "utf8"), /DXP/);
  });

  it("has the version of package.json and lib/version.ts, and the package's name", () => {
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.name, "nectar-dxp-mcp");
    assert.equal(manifest.license, "MIT");
  });

  it("lists exactly the registry's tools with their descriptions, and the server's prompts", () => {
    assert.deepEqual(
      manifest.tools,
      allTools.map((t) => ({ name: t.name, description: t.description })),
    );
    assert.equal(manifest.tools_generated, false);
    assert.deepEqual(
      manifest.prompts.map((p) => [p.name, p.arguments]),
      prompts.map((p) => [p.name, Object.keys(p.args)]),
    );
    for (const prompt of manifest.prompts) {
      for (const name of prompt.arguments)
        assert.ok(prompt.text.includes(`\${arguments.${name}}`), `${prompt.name}'s text uses ${name}`);
    }
  });

  it("runs node on the bundled entry point over stdio, on the Node versions package.json allows", () => {
    const { server } = manifest;
    assert.equal(server.type, "node");
    assert.equal(server.entry_point, ENTRY_POINT);
    assert.equal(server.mcp_config.command, "node");
    assert.deepEqual(server.mcp_config.args, [`\${__dirname}/${ENTRY_POINT}`, "--stdio"]);
    const engines = /^>=\s*(\d+)/.exec(pkg.engines.node)![1];
    assert.equal(manifest.compatibility.runtimes.node, `>=${engines}.0.0`);
  });

  it("turns every setting into one environment variable the server reads", () => {
    const env = manifest.server.mcp_config.env;
    const names = Object.values(ENV) as string[];
    for (const name of Object.keys(env)) assert.ok(names.includes(name), `${name} is in ENV (lib/config.ts)`);
    const used = Object.values(env).map((value) => /^\$\{user_config\.(\w+)\}$/.exec(value)?.[1]);
    assert.deepEqual(
      [...used].sort(),
      Object.keys(manifest.user_config).sort(),
      "each setting is used once, and only declared ones",
    );
    const expected: Record<string, string> = {
      dxp_url: ENV.url,
      access_token: ENV.accessToken,
      refresh_token: ENV.refreshToken,
      domain_name: ENV.tenant,
      debug: ENV.debug,
    };
    for (const [key, name] of Object.entries(expected)) assert.equal(env[name], `\${user_config.${key}}`);
  });

  it("marks the tokens, and only the tokens, sensitive; asks for the URL and the access token", () => {
    const options = manifest.user_config as Record<
      string,
      { sensitive?: boolean; required?: boolean; type: string; default?: unknown }
    >;
    const sensitive = Object.keys(options).filter((key) => options[key]!.sensitive);
    assert.deepEqual(sensitive.sort(), ["access_token", "refresh_token"]);
    const required = Object.keys(options).filter((key) => options[key]!.required);
    assert.deepEqual(required.sort(), ["access_token", "dxp_url"]);
    assert.equal(options.debug!.type, "boolean");
    assert.equal(options.debug!.default, false);
    // An optional setting without a default reaches the server as the literal "${user_config.x}".
    for (const [key, option] of Object.entries(options)) {
      if (!option.required) assert.notEqual(option.default, undefined, `${key} has a default`);
    }
    assert.deepEqual(Object.keys(options).sort(), Object.keys(USER_CONFIG).sort());
  });

  it("gives the server a configuration it accepts when the user fills in only the required settings", async () => {
    const parsed = parse(manifest);
    assert.equal(
      hasRequiredConfigMissing({ manifest: parsed, userConfig: {} }),
      true,
      "Claude Desktop will not start it unconfigured",
    );
    const config = await getMcpConfigForManifest({
      manifest: parsed,
      extensionPath: "/ext",
      systemDirs: {},
      userConfig: { dxp_url: "https://acme.nectar.services", access_token: "a.b.c" },
      pathSeparator: "/",
    });
    assert.ok(config);
    assert.deepEqual(config.args, [`/ext/${ENTRY_POINT}`, "--stdio"]);
    for (const [name, value] of Object.entries(config.env ?? {}))
      assert.doesNotMatch(value, /\$\{/, `${name} is substituted`);
    const server = readConfig(config.env!);
    assert.deepEqual(server.credentials, {
      url: "https://acme.nectar.services",
      accessToken: "a.b.c",
      refreshToken: undefined,
      tenant: undefined,
    });
    assert.equal(server.debug, false);
    assert.equal(configuredTools(server.toolSelection).length, allTools.length);
  });
});

describe("MCP Bundle (built into a temporary folder)", () => {
  let work: string;
  let bundle: Bundle;
  let unpacked: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "nectar-mcpb-"));
    bundle = await buildBundle({ dir: join(work, "stage"), mcpbFile: join(work, "nectar-dxp-mcp.mcpb"), silent: true });
    unpacked = join(work, "installed");
    // Claude Desktop unpacks with this same function (and no node_modules anywhere above /tmp).
    assert.equal(await unpackExtension({ mcpbPath: bundle.mcpbFile, outputDir: unpacked, silent: true }), true);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("is a zip of the manifest, the icon, the one-file server and the license", () => {
    const head = readFileSync(bundle.mcpbFile).subarray(0, 4);
    assert.deepEqual([...head], [0x50, 0x4b, 0x03, 0x04], "a zip's local file header");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) =>
        statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [relative(unpacked, join(dir, name))],
      );
    assert.deepEqual(files(unpacked).sort(), [ICON, "LICENSE", "manifest.json", ENTRY_POINT].sort());
    assert.deepEqual(JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")), manifest);
    assert.equal(validates(unpacked), true);
  });

  it("imports nothing but Node built-ins", () => {
    assert.ok(bundle.externals.length > 0, "the metafile lists the server's imports");
    for (const spec of bundle.externals) assert.ok(isBuiltin(spec), `${spec} is a Node built-in`);
    assert.ok(bundle.mcpbBytes < 2 * 1024 * 1024, `the bundle stays small: ${bundle.mcpbBytes} bytes`);
  });

  it("prints its version from the unpacked folder", async () => {
    const { stdout } = await run(process.execPath, [join(unpacked, ENTRY_POINT), "--version"], {
      cwd: unpacked,
      timeout: 10_000,
    });
    assert.equal(stdout.trim(), manifest.version);
  });

  it("lists every tool with --demo over stdio", { timeout: 30_000 }, async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(unpacked, ENTRY_POINT), "--stdio", "--demo"],
      cwd: unpacked,
      env: { PATH: process.env.PATH ?? "" },
      stderr: "pipe",
    });
    const client = new Client({ name: "mcpb-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        allTools.map((t) => t.name),
      );
    } finally {
      await client.close();
    }
  });

  describe("started as Claude Desktop starts it, with the user's settings", () => {
    let http: Listening;
    before(async () => {
      const sim = createSimulator({ sessionsPerTenant: 2000 });
      http = await listen(sim.fetch);
      Object.assign(settings, { dxp_url: http.url, ...pick(sim.issueTokens()), domain_name: "acme", debug: true });
    });
    after(() => http.close());
    const settings: Record<string, string | boolean> = {};
    const pick = ({ accessToken, refreshToken }: { accessToken: string; refreshToken: string }) => ({
      access_token: accessToken,
      refresh_token: refreshToken,
    });

    it("answers from the user's DXP, tokens kept out of its log", { timeout: 30_000 }, async () => {
      const parsed = parse(JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")));
      const config = await getMcpConfigForManifest({
        manifest: parsed,
        extensionPath: unpacked,
        systemDirs: {},
        userConfig: settings,
        pathSeparator: "/",
      });
      assert.ok(config);
      // Claude Desktop runs "node" with its own Node; here, this one.
      assert.equal(config.command, "node");
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: config.args ?? [],
        cwd: unpacked,
        env: { PATH: process.env.PATH ?? "", ...config.env },
        stderr: "pipe",
      });
      let stderr = "";
      transport.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const client = new Client({ name: "mcpb-test", version: "1.0.0" });
      await client.connect(transport);
      try {
        const result = (await client.callTool({
          name: "get_session_summary",
          arguments: { timePeriod: "LAST_DAY" },
        })) as CallToolResult;
        assert.notEqual(result.isError, true, text(result));
        assert.ok(result.structuredContent, "structured answer");
        assert.match(text(result), /acme/);
      } finally {
        await client.close();
      }
      assert.match(stderr, /upstream/i, "DEBUG_MODE from the debug setting logs upstream calls");
      for (const token of [settings.access_token, settings.refresh_token] as string[])
        assert.ok(!stderr.includes(token), "no token in the log");
    });
  });
});
