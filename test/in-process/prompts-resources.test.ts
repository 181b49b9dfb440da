// MCP beyond tools: prompts that name the tools to use, and reference data as resources.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Harness, startHarness } from "../helpers/harness.ts";

describe("prompts and resources", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("lists the prompts UC engineers ask most", async () => {
    const { prompts } = await h.client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name).sort(), [
      "compare_platforms",
      "investigate_location_quality",
      "user_bad_calls",
      "user_communication_patterns",
    ]);
  });

  it("fills a prompt with its arguments and names the tools to use", async () => {
    const prompt = await h.client.getPrompt({
      name: "investigate_location_quality",
      arguments: { location: "Dallas", period: "LAST_WEEK" },
    });
    const content = prompt.messages[0]!.content;
    const text = content.type === "text" ? content.text : "";
    assert.match(text, /Dallas/);
    assert.match(text, /LAST_WEEK/);
    for (const tool of [
      "get_location_quality_summary",
      "set_session_filter",
      "get_session_histogram",
      "get_detailed_session_list",
    ]) {
      assert.match(text, new RegExp(tool));
    }
    // The drill-down: which network, device, client or carrier, then sessions opened.
    assert.match(
      text,
      /get_quality_breakdown by networkType, then by device, then by clientVersion; for external calls by carrier/,
    );
    assert.match(text, /get_session_details/);
    assert.doesNotMatch(text, /Wi-Fi jitter/, "no conclusion a tool cannot support");
  });

  it("walks a user's patterns from the user summary", async () => {
    const prompt = await h.client.getPrompt({ name: "user_communication_patterns", arguments: { user: "Umar Patel" } });
    const content = prompt.messages[0]!.content;
    const text = content.type === "text" ? content.text : "";
    assert.match(text, /get_user_summary with user "Umar Patel" and timePeriod LAST_MONTH/);
    assert.match(text, /Say which user was chosen/);
  });

  it("serves the tenants and this session's filter as resources", async () => {
    const { resources } = await h.client.listResources();
    // ui:// resources are the MCP Apps views (test/in-process/views.test.ts).
    const data = resources.filter((r) => !r.uri.startsWith("ui://"));
    assert.deepEqual(data.map((r) => r.uri).sort(), ["nectar://session/filter", "nectar://tenants"]);
    const tenants = await h.client.readResource({ uri: "nectar://tenants" });
    assert.deepEqual(JSON.parse((tenants.contents[0] as { text: string }).text), ["acme", "globex", "initech"]);
    await h.call("set_session_filter", { platforms: ["ZOOM"] });
    const filter = await h.client.readResource({ uri: "nectar://session/filter" });
    assert.deepEqual(JSON.parse((filter.contents[0] as { text: string }).text), { platforms: ["ZOOM"] });
  });

  it("reads a tenant's locations and platforms through resource templates", async () => {
    const { resourceTemplates } = await h.client.listResourceTemplates();
    assert.equal(resourceTemplates.length, 2);
    const locations = await h.client.readResource({ uri: "nectar://tenants/globex/locations" });
    const list = JSON.parse((locations.contents[0] as { text: string }).text) as { name: string }[];
    assert.equal(list.length, 14);
    assert.equal(h.sim.requests.at(-1)?.tenant, "globex");
  });

  it("answers a resource the token may not read with an error message, not a crash", async () => {
    const tokens = h.sim.issueTokens({ tenants: ["acme"] });
    await h.call("configure_connection", { url: h.url, accessToken: tokens.accessToken });
    await assert.rejects(h.client.readResource({ uri: "nectar://tenants/initech/platforms" }), /403/);
  });
});
