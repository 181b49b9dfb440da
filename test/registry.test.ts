// The tool registry as a whole: the seed's 13 names, and what every tool must carry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { allTools, TOOL_GROUPS } from "../lib/tools/index.ts";

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
      assert.ok(tool.description.length >= 80 && tool.description.length <= 450, `description length ${tool.description.length}`);
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
});
