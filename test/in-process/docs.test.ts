// Docs are generated from the registry: the README's tool table and dist/tools.json
// must equal what the registry says now.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { toolManifest } from "../../lib/tool-set/manifest.ts";
import { readmeWithTable } from "../../scripts/tool-docs.ts";

describe("generated docs", () => {
  it("the README's tool table matches the registry (npm run docs regenerates it)", () => {
    const readme = readFileSync("README.md", "utf8");
    assert.equal(readmeWithTable(readme), readme);
  });

  it("the build's dist/tools.json matches the registry", () => {
    assert.ok(existsSync("dist/tools.json"), "dist/tools.json exists: npm run build writes it");
    assert.deepEqual(JSON.parse(readFileSync("dist/tools.json", "utf8")), JSON.parse(JSON.stringify(toolManifest())));
  });

  it("the manifest carries every tool's schemas and annotations", () => {
    for (const entry of toolManifest()) {
      assert.equal(entry.inputSchema.type, "object");
      assert.equal(entry.outputSchema.type, "object");
      assert.equal(typeof entry.annotations.readOnlyHint, "boolean");
    }
  });
});
