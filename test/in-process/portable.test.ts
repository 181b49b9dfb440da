// lib/ is runtime-agnostic: it may be bundled for Node, Deno, Workers or a browser.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["']node:/, "a node: import"],
  [/import\(\s*["']node:/, "a dynamic node: import"],
  [/\bprocess\.(env|stdout|stderr|exit|argv|on)\b/, "Node's process"],
  [/\bDeno\./, "Deno's global"],
  [/\bBuffer\./, "Node's Buffer"],
  [/from\s+["'](fs|path|http|https|os|child_process|net)["']/, "a bare Node builtin import"],
  [/console\.(log|info)\(/, "a write to stdout"],
];

describe("lib/ is runtime-agnostic", () => {
  const files = sources("lib");
  it("has source files to check", () => assert.ok(files.length > 20));
  for (const file of files) {
    it(`${file} uses no Node or Deno globals or imports`, () => {
      const text = readFileSync(file, "utf8");
      for (const [pattern, what] of FORBIDDEN) assert.doesNotMatch(text, pattern, `${file} has ${what}`);
    });
  }
});

describe("the nectar-dxp-mcp/tools entry stays small", () => {
  /** Every module the built entry loads, following its relative imports. */
  function loaded(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const [, spec] of text.matchAll(/from\s+"([^"]+)"/g)) {
      if (spec!.startsWith(".")) loaded(join(file, "..", spec!), seen);
      else seen.add(spec!);
    }
    return seen;
  }

  it("loads neither the MCP SDK nor Hono nor the simulator", () => {
    const modules = [...loaded("dist/lib/tools-api.js")];
    assert.ok(
      modules.some((m) => m === "zod"),
      "sanity: it does load zod",
    );
    assert.deepEqual(
      modules.filter((m) => /modelcontextprotocol|hono|simulator/.test(m)),
      [],
    );
  });
});
