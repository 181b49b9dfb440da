// The tool registry as a whole: the seed's 13 names, and what every tool must carry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { defineTool } from "../../lib/tool-kit/define.ts";
import { allTools, TOOL_GROUPS } from "../../lib/tools/index.ts";

const SEED_NAMES = [
  "get_connection_status",
  "configure_connection",
  "set_session_filter",
  "get_session_summary",
  "get_location_quality_summary",
  "get_session_histogram",
  "get_detailed_session_list",
  "get_users",
  "get_locations",
  "get_tenant_names",
  "get_tenant_platforms",
  "get_endpoint_test_count",
  "get_endpoint_test_summaries",
];

/** Issue 10: the tools that answer "why". */
const DRILL_DOWN_NAMES = ["get_session_details", "get_user_summary", "get_quality_breakdown", "find_quality_changes"];

describe("tool registry", () => {
  it("holds the seed's 13 tool names and the four drill-down tools, once each", () => {
    assert.deepEqual(allTools.map((t) => t.name).sort(), [...SEED_NAMES, ...DRILL_DOWN_NAMES].sort());
  });

  for (const tool of allTools) {
    it(`${tool.name}: snake_case name, title, a description for a model, group and every annotation`, () => {
      assert.match(tool.name, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      assert.ok(tool.title.length > 3);
      assert.ok(
        tool.description.length >= 80 && tool.description.length <= 450,
        `description length ${tool.description.length}`,
      );
      assert.ok(TOOL_GROUPS.includes(tool.group));
      for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        assert.equal(typeof tool.annotations[key], "boolean", key);
      }
    });

    it(`${tool.name}: input schema refuses unknown fields`, () => {
      const json = z.toJSONSchema(tool.inputSchema, { io: "input" }) as { additionalProperties?: boolean };
      assert.equal(json.additionalProperties, false);
      assert.equal(tool.inputSchema.safeParse({ __proto__: { x: 1 }, notAField: 1 }).success, false);
    });
  }

  it("only tools that read the DXP are open-world; tools that change session state are not read-only", () => {
    const byName = Object.fromEntries(allTools.map((t) => [t.name, t]));
    assert.equal(byName.set_session_filter!.annotations.readOnlyHint, false);
    assert.equal(byName.configure_connection!.annotations.readOnlyHint, false);
    assert.equal(byName.set_session_filter!.annotations.openWorldHint, false);
    assert.equal(byName.get_session_summary!.annotations.openWorldHint, true);
    assert.ok(allTools.every((t) => !t.annotations.destructiveHint));
  });

  // defineTool gives no default: what a tool carries is what its file declares.
  it("every tool declares all four annotations itself, as booleans", () => {
    const missing = allTools.filter(
      (t) =>
        typeof t.annotations !== "object" ||
        t.annotations === null ||
        !ANNOTATION_KEYS.every(
          (key) => typeof (t.annotations as unknown as Record<string, unknown>)[key] === "boolean",
        ),
    );
    assert.deepEqual(
      missing.map((t) => t.name),
      [],
      "tools without declared annotations",
    );
  });

  it("defineTool refuses a definition without annotations instead of making it read-only", () => {
    const { annotations: _, ...bare } = allTools.find((t) => t.name === "set_session_filter")!;
    const definition = { ...bare, inputSchema: () => z.strictObject({}), outputSchema: () => z.object({}) };
    assert.throws(
      () => defineTool(definition as unknown as Parameters<typeof defineTool>[0]),
      /set_session_filter declares no annotations/,
    );
  });

  // A tool that writes the session's state or saves a filter changes state: it must not
  // say it is read-only, or NECTAR_READ_ONLY would offer it. Read from each tool's file.
  it("every tool whose code writes session state or saves a filter is not read-only", async () => {
    const { readFileSync } = await import("node:fs");
    const writers: string[] = [];
    for (const tool of allTools) {
      const source = readFileSync(
        new URL(`../../lib/tools/${tool.name.replaceAll("_", "-")}.ts`, import.meta.url),
        "utf8",
      );
      if (/context\.session\.\w+\s*=[^=]|context\.filters\.save\(/.test(source)) writers.push(tool.name);
    }
    assert.ok(writers.includes("configure_connection") && writers.includes("set_session_filter"), `found: ${writers}`);
    for (const name of writers) {
      assert.equal(allTools.find((t) => t.name === name)!.annotations.readOnlyHint, false, `${name} changes state`);
    }
  });

  // ARCHITECTURE.md: lib/tools/ holds the tools and the registry alone, so its listing is the
  // tool list; what tools share lives in lib/tool-kit/, tool-query/, tool-answers/, tool-set/.
  it("lib/tools/ holds one file per registered tool and index.ts, nothing else", async () => {
    const { readdirSync } = await import("node:fs");
    const files = readdirSync(new URL("../../lib/tools/", import.meta.url)).sort();
    const expected = ["index.ts", ...allTools.map((t) => `${t.name.replaceAll("_", "-")}.ts`)].sort();
    assert.deepEqual(files, expected);
  });
});

const ANNOTATION_KEYS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;
