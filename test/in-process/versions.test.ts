// deno.json and package.json describe one library: the same version (also lib/version.ts)
// and the same entry points, Deno's the TypeScript sources that tsup builds npm's from.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Options } from "tsup";
import { VERSION } from "../../lib/version.ts";
import tsupConfig from "../../tsup.config.ts";

interface ConditionalExport {
  types?: string;
  import?: string;
}

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  engines: { node: string };
  exports: Record<string, string | ConditionalExport>;
};
const deno = JSON.parse(readFileSync("deno.json", "utf8")) as {
  version: string;
  exports: Record<string, string> | string;
};

// tsup.config.ts: the library first, then the bundled bin (issue 13).
assert.ok(
  Array.isArray(tsupConfig) && tsupConfig.length === 2,
  "tsup.config.ts exports the library's options and the bin's",
);
const configs = tsupConfig as Options[];
const tsup = configs[0]!;
const tsupEntries = Object.assign({}, ...configs.map((c) => c.entry as Record<string, string>)) as Record<
  string,
  string
>;
const dts = tsup.dts as { entry: Record<string, string> };

/** "./lib/tools-api.ts" → "lib/tools-api": the tsup entry name, and the path under dist/ it builds. */
const moduleOf = (path: string, ext: RegExp) => path.replace(/^\.\//, "").replace(ext, "");

/** package.json's exports that are modules (not data such as ./tools.json or ./package.json). */
const npmModules = Object.entries(pkg.exports).filter(
  (entry): entry is [string, ConditionalExport] => typeof entry[1] === "object",
);

describe("deno.json and package.json", () => {
  it("have the same version, which lib/version.ts states", () => {
    assert.match(pkg.version, /^\d+\.\d+\.\d+(?:-[\w.]+)?$/);
    assert.equal(deno.version, pkg.version);
    assert.equal(VERSION, pkg.version);
  });

  it("export the same subpaths: each Deno source is the file tsup builds npm's entry from", () => {
    assert.equal(typeof deno.exports, "object", 'deno.json exports is a map with "."');
    const denoExports = deno.exports as Record<string, string>;
    assert.deepEqual(Object.keys(denoExports).sort(), npmModules.map(([subpath]) => subpath).sort());
    for (const [subpath, target] of npmModules) {
      const source = denoExports[subpath]!;
      assert.match(source, /^\.\/lib\/.+\.ts$/, `deno.json ${subpath} points at a source in lib/`);
      assert.ok(existsSync(source), `${source} exists`);
      const module = moduleOf(source, /\.ts$/);
      assert.equal(target.import, `./dist/${module}.js`, `package.json ${subpath} is built from ${source}`);
      assert.equal(target.types, `./dist/${module}.d.ts`, `package.json ${subpath} has the types of ${source}`);
      assert.equal(tsupEntries[module], `${module}.ts`, `tsup builds dist/${module}.js from ${source}`);
      assert.equal(dts.entry[module], `${module}.ts`, `tsup emits dist/${module}.d.ts`);
    }
  });

  it("point main and types at the root export", () => {
    const root = pkg.exports["."] as ConditionalExport;
    assert.equal(pkg.main, root.import);
    assert.equal(pkg.types, root.types);
  });

  it("build every data export and the bin", () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target !== "string" || subpath === "./package.json") continue;
      assert.match(target, /^\.\/dist\//, `${subpath} is build output`);
    }
    for (const [name, bin] of Object.entries(pkg.bin)) {
      assert.match(bin, /^(?:\.\/)?dist\/.+\.js$/, `the ${name} bin is build output`);
      const module = moduleOf(bin.replace(/^(?:\.\/)?dist\//, ""), /\.js$/);
      assert.equal(tsupEntries[module], `${module}.ts`, `tsup builds the ${name} bin from ${module}.ts`);
    }
  });
});

describe("package.json engines", () => {
  // Node 20 is end-of-life since 2026-04-30 (issue 19): it may still run the suite, but is no
  // longer promised; .ci/run also runs the suite on Node 24 (.ci/node24).
  it("require Node 22 or later, the oldest Node both builds target", () => {
    const min = /^>=\s*(\d+)(?:\.\d+){0,2}$/.exec(pkg.engines.node.trim());
    assert.ok(min, `engines.node is a lower bound: ${pkg.engines.node}`);
    assert.ok(Number(min[1]) >= 22, `engines.node ${pkg.engines.node} is >= 22`);
    for (const config of configs)
      assert.equal(config.target, `node${min[1]}`, "tsup targets the oldest Node the package allows");
  });
});
