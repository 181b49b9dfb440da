// The function-calling adapter: plain definitions and execute(), against the simulator.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { toFunctionTools } from "../../lib/adapters/function-calling.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import { type Listening, listen } from "../helpers/listen.ts";
import { TOOL_COUNT } from "../helpers/registry.ts";

describe("function-calling adapter", () => {
  let http: Listening;
  let tools: ReturnType<typeof toFunctionTools>;
  before(async () => {
    const sim = createSimulator({ sessionsPerTenant: 2000 });
    http = await listen(sim.fetch);
    tools = toFunctionTools({ environment: { url: http.url, ...sim.issueTokens(), tenant: "acme" } });
  });
  after(() => http.close());

  const byName = (name: string) => tools.find((t) => t.name === name)!;

  it("gives every tool a name, a description and a JSON Schema object for its parameters", () => {
    assert.equal(tools.length, TOOL_COUNT);
    for (const name of ["get_session_details", "get_user_summary", "get_quality_breakdown"])
      assert.ok(byName(name), name);
    for (const tool of tools) {
      assert.equal(tool.parameters.type, "object");
      assert.equal(
        tool.parameters.additionalProperties,
        undefined,
        "Gemini refuses it (zod still refuses unknown fields)",
      );
      assert.ok(tool.description.length > 50);
    }
    const props = byName("get_session_summary").parameters.properties as Record<
      string,
      { items?: { enum?: string[] } }
    >;
    assert.ok(props.platforms?.items?.enum?.includes("TEAMS"));
  });

  it("executes a tool and returns the text and the data", async () => {
    const outcome = await byName("get_location_quality_summary").execute({ timePeriod: "LAST_MONTH", limit: 3 });
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    assert.match(outcome.text, /Dallas/);
    assert.equal((outcome.data.locations as unknown[]).length, 3);
  });

  it("keeps the session filter between calls of one adapter", async () => {
    await byName("set_session_filter").execute({ platforms: ["TEAMS"] });
    const outcome = await byName("get_session_summary").execute({});
    assert.ok(outcome.ok && /platforms TEAMS/.test(outcome.text));
  });

  it("answers bad arguments with a message naming the field and the accepted values", async () => {
    const outcome = await byName("get_session_summary").execute({ qualities: ["BAD"] });
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && /qualities/.test(outcome.message) && /CRITICAL/.test(outcome.message));
  });
});
