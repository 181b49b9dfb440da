// The Dockerfile and the Kubernetes manifests, checked against the real build output
// without a Docker engine or a cluster: what the image copies exists after `npm run build`,
// the command it runs starts, answers its probes and its HEALTHCHECK, and stops cleanly on
// SIGTERM; the manifests probe the right paths and ports, run locked down and let out only
// DNS and HTTPS. Run after `npm run build` (npm test does).
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { parseAllDocuments } from "yaml";
import { APP_HTML_MIME_TYPE, appViews } from "../lib/apps/views.ts";
import { ENV, readConfig } from "../lib/config.ts";
import { CREDENTIAL_HEADER_NAMES } from "../lib/http/credential-headers.ts";
import { freePort } from "./helpers/listen.ts";

// ---- a small Dockerfile reader ----------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

/** Stages of a Dockerfile: continuation lines joined, comments dropped, global ARGs expanded in FROM. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("#")) continue; // comments, also inside a continued instruction
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    if (full) logical.push(full);
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/s.exec(line)!;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === "ARG" && stages.length === 0) {
      const [name, value] = args.split("=", 2) as [string, string | undefined];
      globalArgs.set(name.trim(), (value ?? "").trim());
      continue;
    }
    if (keyword === "FROM") {
      const expanded = args.replace(/\$\{?(\w+)\}?/g, (_, name: string) => globalArgs.get(name) ?? "");
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(expanded)!;
      stages.push({ image: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    assert.ok(stages.length > 0, `${keyword} before the first FROM`);
    stages.at(-1)!.instructions.push({ keyword, args });
  }
  return stages;
}

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string) => all(stage, keyword).at(-1);

/** An exec-form (JSON array) argument list; shell form is refused so signals reach node. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  assert.ok(Array.isArray(parsed) && parsed.every((a) => typeof a === "string"), `exec form expected: ${args}`);
  return parsed as string[];
}

/** ENV KEY=value [KEY=value ...] (values optionally double-quoted) or the legacy ENV KEY value. */
function parseEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of all(stage, "ENV")) {
    if (!/^\w+=/.test(args)) {
      const [key, ...rest] = args.split(/\s+/);
      env[key!] = rest.join(" ");
      continue;
    }
    for (const m of args.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) env[m[1]!] = m[2] ?? m[3] ?? "";
  }
  return env;
}

function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith("--")) {
    const flag = words.shift()!;
    if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
  }
  const rest = words.join(" ");
  const paths = rest.startsWith("[") ? execForm(rest) : words;
  assert.ok(paths.length >= 2, `COPY needs a source and a destination: ${args}`);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

function workdir(stage: Stage): string {
  let dir = "/";
  for (const { args } of all(stage, "WORKDIR")) dir = posix.resolve(dir, args);
  return dir;
}

/** A path inside a stage's file system, relative to its WORKDIR, as a path of this repository. */
function repoPathOf(stage: Stage, path: string): string {
  const absolute = posix.resolve(workdir(stage), path);
  const base = workdir(stage);
  assert.ok(absolute === base || absolute.startsWith(`${base}/`), `${path} is outside the stage's WORKDIR ${base}`);
  return posix.relative(base, absolute) || ".";
}

/** Lines of .dockerignore as simple patterns (no negation used here). */
function dockerignored(path: string, patterns: string[]): boolean {
  const toRegExp = (p: string) =>
    new RegExp(
      `^${p
        .replace(/^\/+|\/+$/g, "")
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, "[^/]*")}(?:/.*)?$`,
    );
  return patterns.some((p) => toRegExp(p).test(path.replace(/^\.\//, "")));
}

// ---- a Kubernetes reader ----------------------------------------------------------------

// The manifests are untyped YAML: `any` keeps the assertions readable.
// biome-ignore lint/suspicious/noExplicitAny: see above.
type K8s = any;

function manifests(file: string): K8s[] {
  return parseAllDocuments(readFileSync(join(K8S, file), "utf8")).map((doc) => {
    assert.equal(doc.errors.length, 0, `${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    return doc.toJS();
  });
}

function only(file: string, kind: string): K8s {
  const found = manifests(file).filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `${file} holds one ${kind}`);
  return found[0];
}

/** Kubernetes quantities ("100m", "128Mi", "1") in base units, to compare requests with limits. */
function quantity(value: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(value));
  assert.ok(m, `a Kubernetes quantity: ${value}`);
  const scale: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
  return Number(m[1]) * (m[2] ? scale[m[2]]! : 1);
}

// ---- helpers for the running entry ---------------------------------------------------------

async function get(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exitOf(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** `node` in an exec-form command is this Node, so the test does not depend on PATH. */
const resolveNode = (argv: string[]): [string, string[]] => [
  argv[0] === "node" ? process.execPath : argv[0]!,
  argv.slice(1),
];

async function run(argv: string[], env: Record<string, string>, timeoutMs: number): Promise<number | null> {
  const [command, args] = resolveNode(argv);
  const child = spawn(command, args, { env, stdio: "ignore" });
  try {
    return (await exitOf(child, timeoutMs)).code;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

// ---- the checks ---------------------------------------------------------------------------

const K8S = "deploy/kubernetes";
const PORT = 8000;
const defaults = readConfig({});

describe("Dockerfile", () => {
  const stages = parseDockerfile(readFileSync("Dockerfile", "utf8"));
  const build = stages.find((s) => s.name === "build")!;
  const runtime = stages.at(-1)!;
  const env = parseEnv(runtime);
  const ignore = readFileSync(".dockerignore", "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  before(() => assert.ok(existsSync("dist/servers/cli.js"), "dist/servers/cli.js exists: run npm run build first"));

  it("has a build stage and a separate runtime stage on a Node version package.json allows", () => {
    assert.ok(build, "a stage named build");
    assert.notEqual(runtime, build, "the runtime stage is not the build stage");
    const engines = Number(/(\d+)/.exec(JSON.parse(readFileSync("package.json", "utf8")).engines.node)![1]);
    for (const stage of [build, runtime]) {
      const major = /^node:(\d+)/.exec(stage.image);
      assert.ok(major, `${stage.image} is an official node image`);
      assert.ok(Number(major[1]) >= engines, `${stage.image} satisfies engines >= ${engines}`);
    }
  });

  it("builds from files that exist and that .dockerignore lets into the context", () => {
    const copies = all(build, "COPY").map((i) => parseCopy(i.args));
    const sources = copies.flatMap((c) => c.sources);
    for (const source of sources) {
      assert.ok(existsSync(source), `${source} exists in the repository`);
      assert.ok(!dockerignored(source, ignore), `${source} is not excluded by .dockerignore`);
    }
    for (const needed of ["package.json", "package-lock.json", "tsconfig.json", "tsup.config.ts"]) {
      assert.ok(sources.includes(needed), `the build stage copies ${needed}`);
    }
    // Every tsup entry, and every file tsup.config.ts imports, lives under a copied folder.
    const entries = [...readFileSync("tsup.config.ts", "utf8").matchAll(/"([\w/.-]+\.ts)"/g)].map((m) =>
      m[1]!.replace(/^\.\//, ""),
    );
    assert.ok(entries.includes("servers/cli.ts"));
    for (const entry of entries) {
      assert.ok(
        sources.some((s) => entry === s || entry.startsWith(`${s.replace(/\/$/, "")}/`)),
        `${entry} is copied into the build`,
      );
    }
    for (const heavy of ["node_modules", "dist", ".git"])
      assert.ok(dockerignored(heavy, ignore), `.dockerignore excludes ${heavy}`);
    const runs = all(build, "RUN")
      .map((i) => i.args)
      .join("\n");
    assert.match(runs, /npm install\b/);
    assert.doesNotMatch(runs, /npm ci\b/, "npm ci fails on our registry: see TOOLCHAIN");
    assert.match(runs, /npm run build\b/, "the package's own build (views, schemas, tsup, tools.json), not tsup alone");
    assert.match(runs, /--omit=dev/, "the runtime node_modules has no dev dependencies");
  });

  it("copies into the runtime only build output that exists after npm run build", () => {
    const copies = all(runtime, "COPY").map((i) => parseCopy(i.args));
    assert.ok(copies.length > 0);
    const copied = copies.flatMap((c) => {
      assert.equal(c.from, build.name, `the runtime copies only from the build stage: COPY ${c.sources.join(" ")}`);
      return c.sources.map((s) => repoPathOf(build, s));
    });
    for (const path of copied) assert.ok(existsSync(path), `${path} exists after the build`);
    assert.deepEqual([...copied].sort(), ["dist", "node_modules", "package.json"]);
  });

  it("needs at run time only packages listed in dependencies", () => {
    const dependencies = Object.keys(JSON.parse(readFileSync("package.json", "utf8")).dependencies);
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith(".js") ? [join(dir, n)] : [],
      );
    const imported = new Set<string>();
    // Static imports and re-exports start a line in esbuild's output; dynamic ones are import("x").
    const patterns = [
      /^(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm,
      /^import\s*["']([^"']+)["']/gm,
      /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    ];
    for (const file of files("dist")) {
      const text = readFileSync(file, "utf8");
      for (const m of patterns.flatMap((p) => [...text.matchAll(p)])) {
        const spec = m[1]!;
        // Node's own modules (esbuild may print node:dns as dns) are never dependencies.
        if (spec.startsWith(".") || spec.startsWith("node:") || builtinModules.includes(spec)) continue;
        imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
      }
    }
    assert.ok(imported.size > 0);
    for (const name of imported)
      assert.ok(dependencies.includes(name), `dist imports ${name}, which npm prune --omit=dev would remove`);
    // The bin inlines its dependencies (scripts/server-bundle.ts): what only it uses is a devDependency.
    for (const name of dependencies)
      assert.ok(imported.has(name), `${name} is a dependency that nothing in dist imports: a devDependency`);
  });

  it("runs node on the built CLI as UID 1000 with the HTTP environment on port 8000", () => {
    const entry = execForm(last(runtime, "ENTRYPOINT")!.args);
    assert.equal(entry[0], "node");
    const script = repoPathOf(runtime, entry[1]!);
    assert.equal(script, "dist/servers/cli.js");
    assert.ok(existsSync(script), `${script} exists`);
    assert.equal(
      JSON.parse(readFileSync("package.json", "utf8")).bin["nectar-dxp-mcp"],
      script,
      "the image runs the package's bin",
    );
    assert.equal(last(runtime, "CMD"), undefined, "no CMD: arguments given to docker run go to the CLI");

    assert.match(last(runtime, "USER")!.args, /^(1000(:1000)?|node(:node)?)$/);
    assert.deepEqual(
      all(runtime, "EXPOSE").flatMap((i) => i.args.split(/\s+/)),
      [String(PORT)],
    );
    assert.equal(env.MCP_TRANSPORT, "http");
    assert.equal(env.FASTMCP_HOST, "0.0.0.0");
    assert.equal(env.FASTMCP_PORT, String(PORT));
    assert.equal(env.NODE_ENV, "production");
    for (const name of Object.keys(env)) {
      assert.ok(
        name === "NODE_ENV" || Object.values(ENV).includes(name as never),
        `ENV ${name} is a variable the server reads`,
      );
    }
  });

  it("has a HEALTHCHECK on /healthz at the exposed port that needs no curl", () => {
    const healthcheck = last(runtime, "HEALTHCHECK")!;
    assert.ok(healthcheck);
    const command = execForm(healthcheck.args.replace(/^(--\S+\s+)*CMD\s+/, ""));
    assert.equal(command[0], "node");
    const script = command.join(" ");
    assert.match(script, /\/healthz/);
    assert.match(script, new RegExp(`\\b${PORT}\\b`), "defaults to the exposed port");
    assert.match(healthcheck.args, /--timeout=\d+s/);
  });

  describe("its ENTRYPOINT, started as the container would", () => {
    let child: ChildProcess | undefined;
    let port: number;
    let childEnv: Record<string, string>;
    let stderr = "";

    before(async () => {
      port = await freePort();
      // Only the image's environment (plus PATH), bound to loopback on a free port.
      childEnv = { PATH: process.env.PATH ?? "", ...env, FASTMCP_HOST: "127.0.0.1", FASTMCP_PORT: String(port) };
      const [command, args] = resolveNode(execForm(last(runtime, "ENTRYPOINT")!.args));
      child = spawn(command, args, { env: childEnv, stdio: ["ignore", "ignore", "pipe"] });
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      await waitFor(
        async () => (await get(`http://127.0.0.1:${port}/healthz`)) === 200 || child!.exitCode !== null,
        10_000,
        "/healthz",
      );
      assert.equal(child.exitCode, null, `the server exited early: ${stderr}`);
    });

    after(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });

    it("answers /healthz and /readyz with 200", async () => {
      assert.equal(await get(`http://127.0.0.1:${port}/healthz`), 200);
      assert.equal(await get(`http://127.0.0.1:${port}/readyz`), 200);
      assert.match(stderr, new RegExp(`listening on 127\\.0\\.0\\.1:${port}`));
    });

    it("passes its own HEALTHCHECK command", { timeout: 10_000 }, async () => {
      const command = execForm(last(runtime, "HEALTHCHECK")!.args.replace(/^(--\S+\s+)*CMD\s+/, ""));
      assert.equal(await run(command, childEnv, 8000), 0);
    });

    it("exits 0 on SIGTERM, after which the HEALTHCHECK fails", { timeout: 20_000 }, async () => {
      child!.kill("SIGTERM");
      const { code, signal } = await exitOf(child!, 15_000);
      assert.equal(signal, null);
      assert.equal(code, 0, stderr);
      assert.match(stderr, /SIGTERM/);
      const command = execForm(last(runtime, "HEALTHCHECK")!.args.replace(/^(--\S+\s+)*CMD\s+/, ""));
      assert.equal(await run(command, childEnv, 8000), 1);
    });
  });
});

describe("the image's file set, built the way the Dockerfile builds it", () => {
  // No Docker engine: the build stage's COPY steps are replayed from what a clean clone holds
  // (git ls-files) and .dockerignore lets in, its RUN steps run in that folder, except the
  // npm install/prune ones (node_modules is linked from this checkout: no registry), and the
  // runtime stage's COPY --from=build steps make the folder the server starts from.
  const stages = parseDockerfile(readFileSync("Dockerfile", "utf8"));
  const build = stages.find((s) => s.name === "build")!;
  const runtime = stages.at(-1)!;
  const ignore = readFileSync(".dockerignore", "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  let work: string;
  let image: string;
  const ran: string[] = [];

  /** A file or folder of the repository copied as COPY does (a folder's contents into dest). */
  function replayCopy(copy: Copy, from: (path: string) => string[], into: string, stage: Stage): void {
    for (const source of copy.sources) {
      const dest = join(into, repoPathOf(stage, copy.dest));
      for (const file of from(source)) {
        const inside = file === source ? posix.basename(file) : posix.relative(source, file);
        const target =
          copy.dest.endsWith("/") || copy.sources.length > 1 || file !== source ? join(dest, inside) : dest;
        mkdirSync(dirname(target), { recursive: true });
        cpSync(file, target);
      }
    }
  }

  before(() => {
    work = mkdtempSync(join(tmpdir(), "nectar-image-"));
    const buildDir = join(work, "build");
    mkdirSync(buildDir);
    const tracked = (source: string) =>
      execFileSync("git", ["ls-files", "-z", "--", source], { encoding: "utf8" })
        .split("\0")
        .filter((file) => file && !dockerignored(file, ignore));
    for (const { keyword, args } of build.instructions) {
      if (keyword === "COPY") replayCopy(parseCopy(args), tracked, buildDir, build);
      if (keyword !== "RUN") continue;
      for (const command of args.split("&&").map((c) => c.trim())) {
        if (/^npm (install|ci|prune)\b/.test(command)) {
          if (!existsSync(join(buildDir, "node_modules")))
            symlinkSync(resolve("node_modules"), join(buildDir, "node_modules"), "dir");
          continue;
        }
        ran.push(command);
        execFileSync("bash", ["-c", command], {
          cwd: buildDir,
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, CI: "true" },
        });
      }
    }
    image = join(work, "image");
    mkdirSync(image);
    for (const { keyword, args } of runtime.instructions) {
      if (keyword !== "COPY") continue;
      const copy = parseCopy(args);
      if (copy.sources.includes("/app/node_modules")) {
        symlinkSync(resolve("node_modules"), join(image, "node_modules"), "dir");
        continue;
      }
      // Sources are build-stage paths: read them from the build folder.
      for (const source of copy.sources) {
        cpSync(join(buildDir, repoPathOf(build, source)), join(image, repoPathOf(runtime, copy.dest)), {
          recursive: true,
        });
      }
    }
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs the package's build, which makes the MCP Apps views", () => {
    assert.ok(
      ran.some((c) => /^(?:NECTAR_NO_DTS=1 )?npm run build\b/.test(c)),
      `the build stage runs npm run build: ${ran.join("; ")}`,
    );
    assert.ok(
      existsSync(join(work, "build", "lib/apps/generated/views-html.ts")),
      "the views were built in the build stage",
    );
    for (const path of ["dist/servers/cli.js", "dist/tools.json", "dist/lib/index.js", "package.json"]) {
      assert.ok(existsSync(join(image, path)), `the image holds ${path}`);
    }
  });

  it("serves every view from the image's files: resources/read answers its HTML", { timeout: 60_000 }, async () => {
    const [command, args] = resolveNode(execForm(last(runtime, "ENTRYPOINT")!.args));
    const transport = new StdioClientTransport({
      command,
      args: [...args, "--stdio", "--demo"],
      cwd: image,
      env: { PATH: process.env.PATH ?? "", ...parseEnv(runtime) },
      stderr: "pipe",
    });
    const client = new Client({ name: "image-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { resources } = await client.listResources();
      for (const view of appViews) {
        assert.ok(
          resources.some((r) => r.uri === view.uri),
          `${view.uri} is listed`,
        );
        const { contents } = await client.readResource({ uri: view.uri });
        const [content] = contents as { mimeType?: string; text?: string }[];
        assert.equal(content?.mimeType, APP_HTML_MIME_TYPE);
        assert.match(content?.text ?? "", /^<!doctype html>/i, `${view.name} is an HTML page, not "not built"`);
        assert.ok((content?.text ?? "").length > 10_000, `${view.name} has its bundled script inlined`);
      }
    } finally {
      await client.close();
    }
  });
});

describe("package.json for npm", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));

  it("has the metadata npm and the registry show, and builds on pack", () => {
    for (const field of ["description", "keywords", "homepage", "bugs", "repository", "author", "license", "mcpName"]) {
      assert.ok(pkg[field], `package.json has ${field}`);
    }
    assert.match(pkg.repository.url, /^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    assert.match(pkg.mcpName, /^io\.github\.[\w-]+\/[\w.-]+$/);
    assert.match(
      pkg.scripts.prepack,
      /\bnpm run build\b/,
      "npm pack and npm publish build dist/ first (a clean tree has none)",
    );
  });

  it("lets CommonJS require() every module export (a default condition beside import)", { timeout: 30_000 }, () => {
    assert.ok(existsSync("dist/lib/index.js"), "run npm run build first");
    const dir = mkdtempSync(join(tmpdir(), "nectar-cjs-"));
    try {
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(resolve("."), join(dir, "node_modules", pkg.name), "dir");
      const modules = Object.entries(pkg.exports as Record<string, unknown>)
        .filter(([, t]) => typeof t === "object")
        .map(([sub]) => sub);
      assert.deepEqual(modules, [".", "./tools", "./simulator"]);
      const script = `${modules.map((sub) => `require(${JSON.stringify(posix.join(pkg.name, sub))});`).join("")}console.log(typeof require("nectar-dxp-mcp").createServer)`;
      const stdout = execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });
      assert.equal(stdout.trim(), "function");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("server.json for the official MCP Registry", () => {
  const SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
  const SCHEMA_SHA256 = "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0";
  const schemaBytes = readFileSync("schemas/server.schema.json");
  const server = JSON.parse(readFileSync("server.json", "utf8"));
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  type Input = { name: string; isSecret?: boolean; isRequired?: boolean };

  it("validates against the registry's vendored 2025-12-11 JSON Schema", () => {
    assert.equal(
      createHash("sha256").update(schemaBytes).digest("hex"),
      SCHEMA_SHA256,
      "schemas/server.schema.json is the pinned 2025-12-11 file (schemas/README.md)",
    );
    const schema = JSON.parse(schemaBytes.toString("utf8"));
    assert.equal(schema.$id, SCHEMA_URL);
    assert.equal(server.$schema, SCHEMA_URL);
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its function is the module's default (or that default's own default).
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
      a: Ajv,
    ) => void;
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate({ ...server });
    assert.ok(
      ok,
      `server.json: ${(validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ")}`,
    );
    // The schema's own limit, said again so a failure names it.
    assert.ok(
      server.description.length <= 100,
      `description is ${server.description.length} characters (the registry allows 100)`,
    );
  });

  it("names the npm package and its version as package.json does (npm checks mcpName)", () => {
    assert.equal(server.name, pkg.mcpName);
    assert.equal(server.version, pkg.version);
    const repository = String(pkg.repository.url)
      .replace(/^git\+/, "")
      .replace(/\.git$/, "");
    assert.equal(server.repository.url, repository);
    const npm = server.packages.find((p: { registryType: string }) => p.registryType === "npm");
    assert.equal(npm.identifier, pkg.name);
    assert.equal(npm.version, pkg.version);
    assert.equal(npm.transport.type, "stdio");
    const oci = server.packages.find((p: { registryType: string }) => p.registryType === "oci");
    assert.match(
      oci.identifier,
      new RegExp(`:${pkg.version.replace(/\./g, "\\.")}$`),
      "the image is tagged with the version",
    );
    assert.equal(oci.transport.type, "streamable-http");
    assert.match(oci.transport.url, new RegExp(`:${PORT}/mcp$`), "the image's port and path");
  });

  it("lists only variables and headers the server reads, the tokens (and only they) secret", () => {
    const names = Object.values(ENV) as string[];
    const headers = Object.values(CREDENTIAL_HEADER_NAMES) as string[];
    const inputs: Input[] = [];
    for (const p of server.packages) {
      for (const e of p.environmentVariables ?? []) {
        assert.ok(names.includes(e.name), `${e.name} is in ENV (lib/config.ts)`);
        inputs.push(e);
      }
      for (const h of p.transport.headers ?? []) {
        assert.ok(headers.includes(h.name), `${h.name} is a credential header the server reads`);
        inputs.push(h);
      }
    }
    assert.ok(
      inputs.some((i) => i.isSecret),
      "some input is secret",
    );
    for (const input of inputs)
      assert.equal(input.isSecret, /token/i.test(input.name), `${input.name}: isSecret is set, true for tokens only`);
    const npmEnv = server.packages
      .find((p: { registryType: string }) => p.registryType === "npm")
      .environmentVariables.map((e: Input) => e.name);
    for (const name of [ENV.url, ENV.accessToken, ENV.refreshToken, ENV.tenant])
      assert.ok(npmEnv.includes(name), `the npm package asks for ${name}`);
  });
});

describe("Kubernetes manifests", () => {
  const deployment = only("deployment.yaml", "Deployment");
  const service = only("service.yaml", "Service");
  const policy = only("networkpolicy.yaml", "NetworkPolicy");
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const portNamed = (port: string | number): number =>
    typeof port === "number" ? port : container.ports.find((p: K8s) => p.name === port)?.containerPort;

  it("serves one container on port 8000", () => {
    assert.equal(pod.containers.length, 1);
    assert.deepEqual(
      container.ports.map((p: K8s) => [p.containerPort, p.protocol ?? "TCP"]),
      [[PORT, "TCP"]],
    );
    const env = Object.fromEntries(container.env.filter((e: K8s) => "value" in e).map((e: K8s) => [e.name, e.value]));
    assert.equal(env.MCP_TRANSPORT, "http");
    if (env.FASTMCP_PORT !== undefined) assert.equal(env.FASTMCP_PORT, String(PORT));
  });

  it("probes /healthz for liveness and /readyz for readiness on that port", () => {
    assert.equal(container.livenessProbe.httpGet.path, "/healthz");
    assert.equal(portNamed(container.livenessProbe.httpGet.port), PORT);
    assert.equal(container.readinessProbe.httpGet.path, "/readyz");
    assert.equal(portNamed(container.readinessProbe.httpGet.port), PORT);
    if (container.startupProbe) {
      assert.equal(container.startupProbe.httpGet.path, "/healthz");
      assert.equal(portNamed(container.startupProbe.httpGet.port), PORT);
    }
  });

  it("runs as UID 1000, non-root, read-only, without privileges or capabilities", () => {
    const securityContext = { ...pod.securityContext, ...container.securityContext };
    assert.equal(securityContext.runAsNonRoot, true);
    assert.equal(securityContext.runAsUser, 1000);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.ok(container.securityContext.capabilities.drop.includes("ALL"));
    assert.equal(securityContext.seccompProfile.type, "RuntimeDefault");
    assert.equal(pod.automountServiceAccountToken, false);
    const user = last(parseDockerfile(readFileSync("Dockerfile", "utf8")).at(-1)!, "USER")!.args;
    assert.ok(["1000", "1000:1000", "node", "node:node"].includes(user), "the image's user is the same UID");
  });

  it("requests and limits CPU and memory, requests within limits", () => {
    const { requests, limits } = container.resources;
    for (const r of ["cpu", "memory"]) {
      assert.ok(requests[r] !== undefined && limits[r] !== undefined, `${r} request and limit`);
      assert.ok(quantity(requests[r]) <= quantity(limits[r]), `${r} request ≤ limit`);
    }
  });

  it("gives the 10 s drain time to finish on SIGTERM", () => {
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    const sleep = preStop[0] === "sleep" ? Number(preStop[1]) : 0;
    assert.ok(pod.terminationGracePeriodSeconds >= 15 + sleep, "grace period ≥ preStop + 10 s drain + margin");
  });

  it("reads credentials from optional Secret keys, the store secret from a required one, and sets only variables the server reads", () => {
    const names = Object.values(ENV) as string[];
    const fromSecret = container.env.filter((e: K8s) => e.valueFrom?.secretKeyRef);
    assert.ok(fromSecret.length > 0);
    const redis = container.env.some((e: K8s) => e.name === ENV.redisUrl);
    for (const e of fromSecret) {
      // The server refuses to start on Redis without the store secret: a missing key must stop
      // the pod before it starts (CreateContainerConfigError names it), not loop on restarts.
      const required = e.name === ENV.storeSecret && redis;
      assert.equal(
        e.valueFrom.secretKeyRef.optional ?? false,
        !required,
        `${e.name} is ${required ? "required" : "optional"}`,
      );
    }
    for (const e of container.env)
      assert.ok(names.includes(e.name) || e.name === "NODE_OPTIONS", `${e.name} is a variable the server reads`);

    const secret = only("secret.example.yaml", "Secret");
    for (const e of fromSecret) {
      assert.equal(e.valueFrom.secretKeyRef.name, secret.metadata.name);
      assert.ok(
        e.valueFrom.secretKeyRef.key in secret.stringData,
        `the example Secret has ${e.valueFrom.secretKeyRef.key}`,
      );
    }
    for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) {
      assert.ok(names.includes(key), `${key} is a variable the server reads`);
      assert.match(value, /<[^>]+>/, `${key} is a placeholder`);
    }
  });

  it("has a ClusterIP Service from port 80 to the pod's 8000", () => {
    assert.equal(service.spec.type ?? "ClusterIP", "ClusterIP");
    for (const [k, v] of Object.entries(service.spec.selector))
      assert.equal(deployment.spec.template.metadata.labels[k], v);
    assert.equal(service.spec.ports.length, 1);
    assert.equal(service.spec.ports[0].port, 80);
    assert.equal(portNamed(service.spec.ports[0].targetPort), PORT);
  });

  it("has a NetworkPolicy that lets in only 8000 and lets out only DNS and HTTPS to public addresses", () => {
    for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels))
      assert.equal(deployment.spec.template.metadata.labels[k], v);
    assert.deepEqual([...policy.spec.policyTypes].sort(), ["Egress", "Ingress"]);
    const ports = (rules: K8s[]) =>
      rules.flatMap((rule: K8s) => {
        assert.ok(rule.ports?.length, "every rule names its ports (a rule without ports allows all)");
        return rule.ports.map((p: K8s) => `${p.port}/${p.protocol ?? "TCP"}`);
      });
    assert.deepEqual(ports(policy.spec.ingress), [`${PORT}/TCP`]);
    assert.deepEqual([...new Set(ports(policy.spec.egress))].sort(), ["443/TCP", "53/TCP", "53/UDP"]);
    const https = policy.spec.egress.filter((r: K8s) => r.ports.some((p: K8s) => p.port === 443));
    for (const rule of https) {
      assert.ok(rule.to?.length, "HTTPS goes to listed address blocks only");
      const v4 = rule.to.find((t: K8s) => t.ipBlock?.cidr === "0.0.0.0/0");
      for (const blocked of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"]) {
        assert.ok(v4?.ipBlock.except.includes(blocked), `HTTPS to ${blocked} is not allowed`);
      }
      for (const to of rule.to) assert.ok(to.ipBlock, "HTTPS is not opened to pods or namespaces");
      const v6 = rule.to.find((t: K8s) => t.ipBlock?.cidr === "::/0");
      if (v6)
        for (const blocked of ["fc00::/7", "fe80::/10"])
          assert.ok(v6.ipBlock.except.includes(blocked), `HTTPS to ${blocked} is not allowed`);
    }
  });

  it("applies with kustomize without the example Secret", () => {
    const kustomization = manifests("kustomization.yaml")[0];
    for (const file of kustomization.resources) assert.ok(existsSync(join(K8S, file)), `${file} exists`);
    assert.ok(!kustomization.resources.includes("secret.example.yaml"));
  });

  it("states the session limits the server really has", () => {
    const text = readFileSync(join(K8S, "README.md"), "utf8");
    assert.match(text, new RegExp(`NECTAR_SESSION_IDLE_SECONDS[^\\n]*\\b${defaults.sessionIdleMs / 1000}\\b`));
    assert.match(text, new RegExp(`NECTAR_MAX_SESSIONS[^\\n]*\\b${defaults.maxSessions}\\b`));
    const env = Object.fromEntries(container.env.filter((e: K8s) => "value" in e).map((e: K8s) => [e.name, e.value]));
    if (env.NECTAR_SESSION_IDLE_SECONDS)
      assert.equal(Number(env.NECTAR_SESSION_IDLE_SECONDS), defaults.sessionIdleMs / 1000);
    if (env.NECTAR_MAX_SESSIONS) assert.equal(Number(env.NECTAR_MAX_SESSIONS), defaults.maxSessions);
  });
});

describe("README", () => {
  const readme = readFileSync("README.md", "utf8");
  const section = (title: string) => {
    const start = readme.indexOf(`\n## ${title}\n`);
    assert.ok(start >= 0, `README has a "${title}" section`);
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
  };

  it("lists every environment variable the server reads in its Environment table", () => {
    const rows = section("Environment")
      .split("\n")
      .map((line) => /^\|\s*`([A-Z0-9_]+)`\s*\|/.exec(line)?.[1])
      .filter((name): name is string => !!name);
    for (const name of Object.values(ENV))
      assert.ok(rows.includes(name), `${name} is in the README's Environment table`);
    for (const name of rows)
      assert.ok((Object.values(ENV) as string[]).includes(name), `${name} in the table is read by the server`);
  });

  it("states the session limits and the body limit the server really has", () => {
    assert.match(readme, new RegExp(`NECTAR_SESSION_IDLE_SECONDS\`\\s*\\|\\s*\`${defaults.sessionIdleMs / 1000}\``));
    assert.match(readme, new RegExp(`NECTAR_MAX_SESSIONS\`\\s*\\|\\s*\`${defaults.maxSessions}\``));
    assert.match(section("Security"), /1 MiB/);
  });

  it("documents Docker, Kubernetes and a remote Claude Desktop setup", () => {
    assert.match(section("Docker"), /docker build -t nectar-dxp-mcp \./);
    assert.match(section("Kubernetes"), /deploy\/kubernetes\/README\.md/);
    const remote = section("Claude Desktop with a remote server");
    assert.match(remote, /mcp-remote/);
    assert.match(remote, /npx\.cmd/);
    const headers = [...remote.matchAll(/"--header",\s*"([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(headers.length >= 2);
    for (const header of headers) {
      assert.match(header, /^X-Nectar-[\w-]+:\S+$/, `no spaces in a --header value (Windows splits them): ${header}`);
    }
  });
});
