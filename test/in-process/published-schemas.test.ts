// The JSON Schemas a starting server publishes without converting (issue 13's cold start)
// are the ones zod gives at run time: the generated file cannot drift from the tools.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { convertedJson, publishedSchemas } from "../../lib/server/published-schema.ts";
import { GENERATED_TARGET, PUBLISHED } from "../../lib/server/published-schemas.generated.ts";
import { allTools } from "../../lib/tools/index.ts";

const asked = { target: GENERATED_TARGET } as never;

describe("published JSON Schemas generated at build time", () => {
  it("hold, for every registry tool and no other, what zod converts at run time (else: npx tsx scripts/published-schemas.ts)", () => {
    assert.deepEqual(Object.keys(PUBLISHED).sort(), allTools.map((t) => t.name).sort());
    for (const tool of allTools)
      assert.deepEqual(PUBLISHED[tool.name], convertedJson(tool), `${tool.name}: regenerate`);
  });

  it("are what the SDK gets for a registry tool, and a tool built elsewhere under the same name is converted from its own schema", () => {
    const summary = allTools.find((t) => t.name === "get_session_summary")!;
    assert.deepEqual(
      publishedSchemas(summary).input["~standard"].jsonSchema.input(asked),
      PUBLISHED.get_session_summary!.input,
    );
    const lookalike = { ...summary, inputSchema: z.strictObject({ only: z.string().describe("its own field") }) };
    const published = publishedSchemas(lookalike).input["~standard"].jsonSchema.input(asked) as {
      properties: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(published.properties), ["only"]);
  });

  it("read no tool schema until a call validates, so schemas a tool builds on first use are not built by a cold tools/list", async () => {
    const summary = allTools.find((t) => t.name === "get_session_summary")!;
    const reads: string[] = [];
    const lazyTool = Object.defineProperties(
      { ...summary },
      {
        inputSchema: { get: () => (reads.push("input"), summary.inputSchema) },
        outputSchema: { get: () => (reads.push("output"), summary.outputSchema) },
      },
    );
    const schemas = publishedSchemas(lazyTool);
    assert.deepEqual(reads, []);
    await schemas.input["~standard"].validate({});
    assert.deepEqual(reads, ["input"]);
  });

  it("still validate with zod: a bad argument and a bad answer are refused", async () => {
    const summary = allTools.find((t) => t.name === "get_session_summary")!;
    const schemas = publishedSchemas(summary);
    const input = await schemas.input["~standard"].validate({ timePeriod: "LAST_CENTURY" });
    assert.ok(input.issues?.length, "an unknown time period is refused");
    const output = await schemas.output["~standard"].validate({ totalSessions: "many" });
    assert.ok(output.issues?.some((i) => i.path?.some((p) => (typeof p === "object" ? p.key : p) === "totalSessions")));
  });
});
