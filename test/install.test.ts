// The newcomer's path: `npm pack` from a fresh `git clone` of this checkout's HEAD (no dist/:
// prepack builds it, with the clone's node_modules linked from here), install the tarball
// into an empty folder from the registry, and from there run the bin through npx, list the
// tools of `--demo` through an MCP client, and import the library from plain Node ESM and
// from CommonJS. Slow (a build, then the dependencies from the registry): runs when CI=true
// or NECTAR_TEST_INSTALL=1 (`npm run test:install`). It packs what is committed: uncommitted
// changes are not in the clone.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { allTools } from "../lib/tools/index.ts";
import { textOf } from "./helpers/common.ts";
import { TOOL_COUNT } from "./helpers/registry.ts";

const execFileAsync = promisify(execFile);
const ROOT = process.cwd();
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, string | { types?: string; import?: string; default?: string }>;
};

// .ci/run runs it once, as `npm run test:install` (not inside each npm test: the suite runs on two Nodes).
const enabled = process.env.NECTAR_TEST_INSTALL === "1";
const SKIP =
  "slow (a clean clone's npm pack, then npm install): runs when NECTAR_TEST_INSTALL=1, e.g. npm run test:install";

/** The environment without what an outer `npm test` sets for its scripts (npm_config_*, npm_package_*): the inner npm must see a user's defaults. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

/**
 * npm itself runs without NODE_OPTIONS: installing the tarball's dependencies is the one step
 * that needs the registry (--prefer-offline: npm's cache first), and the loopback guard must
 * not sit under npm install. Everything the package then runs (bin, ESM and CommonJS
 * imports) keeps this process's NODE_OPTIONS, the guard included.
 */
async function sh(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  const env = cleanEnv();
  if (command === "npm") delete env.NODE_OPTIONS;
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd,
      env,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}: ${e.message}\n${e.stderr ?? ""}`);
  }
}

/** Files in a tarball, without npm's leading "package/". */
async function tarball(file: string, cwd: string): Promise<string[]> {
  const listing = await sh("tar", ["-tzf", file], cwd, 30_000);
  return listing
    .split("\n")
    .filter(Boolean)
    .map((path) => {
      assert.match(path, /^package\//, `${path} is under package/`);
      return path.slice("package/".length);
    })
    .filter((path) => path && !path.endsWith("/"));
}

/** Every file package.json names: the bin, main, types and each export's targets. */
function entryFiles(): string[] {
  const strip = (path: string) => path.replace(/^\.\//, "");
  const files = [...Object.values(pkg.bin), pkg.main, pkg.types];
  for (const target of Object.values(pkg.exports))
    files.push(...(typeof target === "string" ? [target] : Object.values(target)));
  return [...new Set(files.map(strip))];
}

const text = textOf;

// Runs from the folder the user installed into: the package and what it imports resolve from its node_modules.
const PLAIN_ESM = `
import { createServer as listen } from "node:http";
import { allTools, createServer, newSessionState, toFunctionTools, VERSION } from "nectar-dxp-mcp";
import { createSimulator } from "nectar-dxp-mcp/simulator";
import { createRequire } from "node:module";

const manifest = createRequire(process.cwd() + "/")("nectar-dxp-mcp/package.json");
const sim = createSimulator({ sessionsPerTenant: 500 });
const upstream = listen(async (req, res) => {
  const body = [];
  for await (const chunk of req) body.push(chunk);
  const headers = Object.entries(req.headers).filter(([, v]) => typeof v === "string");
  const answer = await sim.fetch(new Request("http://127.0.0.1" + req.url, { method: req.method, headers, body: body.length ? Buffer.concat(body) : undefined }));
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(Buffer.from(await answer.arrayBuffer()));
});
await new Promise((ready) => upstream.listen(0, "127.0.0.1", ready));
const url = "http://127.0.0.1:" + upstream.address().port;

const functions = toFunctionTools({ environment: { url, ...sim.issueTokens(), tenant: "acme" } });
const outcome = await functions.find((f) => f.name === "get_session_summary").execute({ timePeriod: "LAST_DAY" });
const server = createServer({ session: newSessionState() });
upstream.close();
console.log(JSON.stringify({
  version: VERSION,
  packageVersion: manifest.version,
  tools: allTools.map((t) => t.name),
  functions: functions.length,
  ok: outcome.ok,
  answer: outcome.ok ? outcome.text.slice(0, 200) : outcome.message,
  server: typeof server.connect,
}));
`;

describe("the npm package, installed from its tarball into an empty folder", { skip: enabled ? false : SKIP }, () => {
  let work: string;
  let app: string;
  let tgz: string;
  let installed: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "nectar-install-"));
    const clone = join(work, "clone");
    await sh("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone], ROOT, 60_000);
    assert.ok(!existsSync(join(clone, "dist")), "a clean clone has no dist/");
    symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
    // prepack (npm run build) prints to stdout: find the tarball in the destination instead.
    await sh("npm", ["pack", "--pack-destination", work], clone, 300_000);
    const packed = readdirSync(work).filter((name) => name.endsWith(".tgz"));
    assert.equal(packed.length, 1, `one tarball: ${packed.join(", ")}`);
    tgz = join(work, packed[0]!);
    assert.ok(statSync(tgz).size > 0);
    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify({ name: "nectar-install-check", version: "1.0.0", private: true }, null, 2)}\n`,
    );
    await sh("npm", ["install", tgz, "--prefer-offline", "--no-audit", "--no-fund"], app, 180_000);
    installed = join(app, "node_modules", pkg.name);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("packs only what a user needs: dist/, README.md, LICENSE and package.json", async () => {
    const files = await tarball(tgz, work);
    for (const path of files) {
      assert.ok(
        ["package.json", "README.md", "LICENSE"].includes(path) || path.startsWith("dist/"),
        `${path} belongs in the package`,
      );
      assert.ok(
        !path.startsWith("dist/mcpb/") && !path.endsWith(".mcpb"),
        `${path}: the MCP Bundle is not part of the npm package`,
      );
      assert.ok(!/\.ts$/.test(path) || /\.d\.ts$/.test(path), `${path}: no TypeScript sources`);
      assert.ok(!/\.(map|tgz|log)$/.test(path), `${path}: no source maps, tarballs or logs`);
    }
    for (const needed of ["package.json", "README.md", "LICENSE", ...entryFiles()])
      assert.ok(files.includes(needed), `the package holds ${needed}`);
    const views = files.filter((path) => /views-html/.test(path));
    assert.deepEqual(views, ["dist/views-html.js"], "the views' HTML once, shared by the library and the bin");
  });

  it("installs its bin, which npx runs from the folder: --version prints the version", {
    timeout: 60_000,
  }, async () => {
    const bin = join(app, "node_modules", ".bin", Object.keys(pkg.bin)[0]!);
    assert.ok(existsSync(bin), `${bin} exists`);
    assert.match(
      readFileSync(join(installed, pkg.bin[pkg.name]!), "utf8"),
      /^#!\/usr\/bin\/env node\n/,
      "the bin starts with a node shebang",
    );
    // --no: npx must use the installed package, never fetch one from the registry; -- keeps
    // --version for the bin (without it npx prints npm's own version).
    const stdout = await sh("npx", ["--no", "--", pkg.name, "--version"], app, 60_000);
    assert.equal(stdout.trim(), pkg.version);
  });

  it("serves every tool over stdio with --demo, and answers get_session_summary", { timeout: 60_000 }, async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(installed, pkg.bin[pkg.name]!), "--demo"],
      cwd: app,
      env: { PATH: process.env.PATH ?? "" },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({ name: "install-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOL_COUNT);
      assert.deepEqual(
        tools.map((t) => t.name),
        allTools.map((t) => t.name),
      );
      const result = (await client.callTool({
        name: "get_session_summary",
        arguments: { timePeriod: "LAST_DAY" },
      })) as CallToolResult;
      assert.notEqual(result.isError, true, `${text(result)}\n${stderr}`);
      assert.ok(result.structuredContent);
      assert.match(text(result), /acme/);
    } finally {
      await client.close();
    }
  });

  it("imports from plain Node ESM: the tools, the server factory, the adapter and the simulator subpath", {
    timeout: 60_000,
  }, async () => {
    const stdout = await sh(process.execPath, ["--input-type=module", "-e", PLAIN_ESM], app, 60_000);
    const answer = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    assert.equal(answer.version, pkg.version);
    assert.equal(answer.packageVersion, pkg.version);
    assert.deepEqual(
      answer.tools,
      allTools.map((t) => t.name),
    );
    assert.equal(answer.functions, allTools.length);
    assert.equal(answer.ok, true, String(answer.answer));
    assert.match(String(answer.answer), /acme/);
    assert.equal(answer.server, "function");
  });

  it("loads from CommonJS: require() of every module export", { timeout: 60_000 }, async () => {
    const modules = Object.entries(pkg.exports)
      .filter(([, t]) => typeof t === "object")
      .map(([sub]) => (sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`));
    const script = `const loaded = ${JSON.stringify(modules)}.map((m) => Object.keys(require(m)).length); console.log(JSON.stringify({ loaded, createServer: typeof require("${pkg.name}").createServer }));`;
    const stdout = await sh(process.execPath, ["-e", script], app, 60_000);
    const answer = JSON.parse(stdout.trim()) as { loaded: number[]; createServer: string };
    assert.equal(answer.createServer, "function");
    for (const count of answer.loaded) assert.ok(count > 0);
  });

  it("installs without the dependencies only the bundled bin uses", () => {
    const installedPkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const name of ["@hono/node-server", "ioredis", "undici"]) {
      assert.ok(!(name in installedPkg.dependencies), `${name} is inlined in the bin, not a dependency`);
    }
  });

  it("ships type declarations for every module export", () => {
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === "string" || !target.types) continue;
      assert.ok(existsSync(join(installed, target.types)), `${target.types} is installed`);
    }
  });
});
