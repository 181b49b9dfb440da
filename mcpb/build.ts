// The MCP Bundle (.mcpb) that Claude Desktop installs in one click: the manifest and the
// stdio server bundled with every dependency into one ESM file, so the bundle needs no
// node_modules and no npm on the user's machine.
//
//   npm run build:mcpb                     → mcpb/manifest.json, dist/mcpb/ (staging), dist/nectar-dxp-mcp.mcpb,
//                                            then checks the bundled server's --version and --demo tools/list
//   npx tsx mcpb/build.ts --manifest-only  → mcpb/manifest.json only
//
// test/mcpb.test.ts builds the same bundle into a temporary folder with buildBundle().
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { packExtension } from "@anthropic-ai/mcpb";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { build } from "tsup";
import { serverBundleOptions } from "../scripts/server-bundle.ts";
import { buildManifest, ENTRY_POINT, ICON, type Manifest } from "./manifest.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MANIFEST_SOURCE = join(ROOT, "mcpb", "manifest.json");

export interface BundleOptions {
  /** Staging folder; emptied first. */
  dir: string;
  /** The .mcpb file to write. */
  mcpbFile: string;
  /** Keep esbuild's and mcpb's console output quiet (tests). */
  silent?: boolean;
}

export interface Bundle {
  dir: string;
  mcpbFile: string;
  manifest: Manifest;
  /** The bundled server file, absolute. */
  server: string;
  /** Modules the bundled server imports at run time: Node built-ins only. */
  externals: string[];
  serverBytes: number;
  mcpbBytes: number;
}

export function manifestJson(manifest: Manifest = buildManifest()): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export async function buildBundle({ dir, mcpbFile, silent = false }: BundleOptions): Promise<Bundle> {
  const manifest = buildManifest();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = join(dir, ENTRY_POINT);

  await build({
    ...serverBundleOptions({ [ENTRY_POINT.replace(/\.mjs$/, "")]: join(ROOT, "servers/cli.ts") }, dir),
    config: false,
    outExtension: () => ({ js: ".mjs" }),
    clean: false,
    silent,
    tsconfig: join(ROOT, "tsconfig.json"),
  });

  const externals = externalImports(join(dir, "metafile-esm.json"));
  const foreign = externals.filter((spec) => !isBuiltin(spec));
  if (foreign.length)
    throw new Error(`the bundled server still imports ${foreign.join(", ")}: it would need node_modules`);

  writeFileSync(join(dir, "manifest.json"), manifestJson(manifest));
  copyFileSync(join(ROOT, "LICENSE"), join(dir, "LICENSE"));
  copyFileSync(join(ROOT, "mcpb", ICON), join(dir, ICON));

  // packExtension validates the manifest with the package's own validator first; that
  // validator prints with console.log whatever `silent` says.
  const packed = await quiet(silent, () => packExtension({ extensionPath: dir, outputPath: mcpbFile, silent }));
  if (!packed) throw new Error(`mcpb pack failed for ${dir}: run npx mcpb validate ${join(dir, "manifest.json")}`);
  return {
    dir,
    mcpbFile,
    manifest,
    server,
    externals,
    serverBytes: statSync(server).size,
    mcpbBytes: statSync(mcpbFile).size,
  };
}

/** What the bundled files import at run time (esbuild's metafile), then the metafile is removed from the bundle. */
function externalImports(metafile: string): string[] {
  const meta = JSON.parse(readFileSync(metafile, "utf8")) as {
    outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
  };
  rmSync(metafile);
  const paths = Object.values(meta.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external).map((i) => i.path),
  );
  return [...new Set(paths)].sort();
}

async function quiet<T>(silent: boolean, run: () => Promise<T>): Promise<T> {
  if (!silent) return run();
  const log = console.log;
  console.log = () => {};
  try {
    return await run();
  } finally {
    console.log = log;
  }
}

/** The tools the bundled server lists over stdio on the embedded DXP, run from outside the repository. */
async function demoTools(server: string): Promise<string[]> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [server, "--stdio", "--demo"],
    cwd: dirname(server),
    env: { PATH: process.env.PATH ?? "" },
    stderr: "ignore",
  });
  const client = new Client({ name: "mcpb-build", version: "1.0.0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const manifest = buildManifest();
  writeFileSync(MANIFEST_SOURCE, manifestJson(manifest));
  if (process.argv.includes("--manifest-only")) return void process.stdout.write(`wrote ${MANIFEST_SOURCE}\n`);

  const bundle = await buildBundle({
    dir: join(ROOT, "dist/mcpb"),
    mcpbFile: join(ROOT, `dist/${manifest.name}.mcpb`),
  });
  // The bundled server starts and is the version the manifest says.
  const version = execFileSync(process.execPath, [bundle.server, "--version"], {
    encoding: "utf8",
    timeout: 10_000,
  }).trim();
  if (version !== manifest.version)
    throw new Error(`the bundled server says ${version}, the manifest ${manifest.version}`);
  const listed = await demoTools(bundle.server);
  const declared = manifest.tools.map((t) => t.name);
  if (listed.join() !== declared.join())
    throw new Error(`the bundled server lists ${listed.join(", ")}; the manifest ${declared.join(", ")}`);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
  process.stdout.write(
    `\n${bundle.mcpbFile}: ${kb(bundle.mcpbBytes)} (server ${kb(bundle.serverBytes)} unpacked); the bundled server says ${version} and lists ${listed.length} tools on --demo\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`mcpb/build.ts: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
