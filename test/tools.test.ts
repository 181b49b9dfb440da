// What every tool shares, through a real MCP client against the simulator over loopback
// HTTP: the list, an answer of each, bad input, no configuration. A tool's own tests are in
// test/tools/<tool>.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { allTools } from "../lib/tools/index.ts";
import { answerSchema } from "../lib/tool-kit/lean.ts";
import { type Harness, startHarness, textOf } from "./helpers/harness.ts";
import { DXP_TOOLS, reportsFailures } from "./helpers/registry.ts";

/** The tools that read the DXP and answer with its data (get_connection_status reports a failure instead: its own tests). */
const DATA_TOOLS = DXP_TOOLS.filter((name) => !reportsFailures(name));

describe("tools against the simulator", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("lists every tool of the registry with titles, annotations and output schemas", async () => {
    const { tools } = await h.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), allTools.map((t) => t.name).sort());
    for (const tool of tools) {
      assert.ok(tool.title, `${tool.name} has a title`);
      assert.ok(tool.outputSchema, `${tool.name} has an output schema`);
      assert.equal(typeof tool.annotations?.readOnlyHint, "boolean", `${tool.name} readOnlyHint`);
      assert.equal(typeof tool.annotations?.openWorldHint, "boolean", `${tool.name} openWorldHint`);
    }
  });

  for (const name of DATA_TOOLS) {
    it(`${name} answers with structured content and a text rendering`, async () => {
      const result = await h.call(name);
      assert.equal(result.isError, undefined, textOf(result));
      assert.ok(result.structuredContent, "structured content present");
      assert.ok(textOf(result).length > 10);
      // The SDK checks the published (shallow) schema; the registry's full schema must hold too.
      const full = answerSchema(allTools.find((t) => t.name === name)!).safeParse(result.structuredContent);
      assert.ok(full.success, full.success ? "" : JSON.stringify(full.error.issues[0]));
    });
  }
});

describe("bad input", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("keeps serving after bad input", async () => {
    assert.equal((await h.call("get_users", { search: 42 })).isError, true);
    const result = await h.call("get_tenant_names");
    assert.equal(result.isError, undefined);
  });

  it("refuses a tenant the token may not see with a permission error", async () => {
    const tokens = h.sim.issueTokens({ tenants: ["acme"] });
    await h.call("configure_connection", { accessToken: tokens.accessToken, url: h.url });
    const result = await h.call("get_session_summary", { tenant: "globex" });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /403/);
    assert.match(textOf(result), /get_tenant_names/);
  });
});

describe("without configuration", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ environment: () => undefined });
  });
  after(() => h.close());

  for (const name of DATA_TOOLS) {
    it(`${name} says how to configure`, async () => {
      const result = await h.call(name);
      assert.equal(result.isError, true);
      assert.match(textOf(result), /NECTAR_DXP_URL/);
      assert.match(textOf(result), /X-Nectar-DXP-URL/);
      assert.match(textOf(result), /configure_connection/);
      assert.equal(h.sim.requests.length, 0);
    });
  }
});
