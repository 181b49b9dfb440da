// What every tool shares, through a real MCP client against the simulator over loopback
// HTTP: the list, an answer of each, bad input, no configuration. A tool's own tests are in
// test/tools/<tool>.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { answerSchema } from "../../lib/tool-kit/lean.ts";
import { allTools } from "../../lib/tools/index.ts";
import { type Harness, startHarness, textOf } from "../helpers/harness.ts";
import { DXP_TOOLS, reportsFailures } from "../helpers/registry.ts";

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

  it("stops a failed call's other reads, so the next call asks the DXP again instead of joining them", async () => {
    // The summary's first read is refused; its second hangs. The call fails at once; the hanging
    // read must not outlive it, or the next call would wait on it (and share whatever it ends in).
    h.sim.clearRequests();
    h.sim.setFaults({
      failNext: [
        { kind: "status", status: 403 },
        { kind: "hang", ms: 3000 },
      ],
    });
    // A scope no other test here asks for, so no cached answer stands in for the reads.
    const scope = { timePeriod: "LAST_DAY", platforms: ["ZOOM"], sessionScenarios: ["FEDERATED"] };
    const failed = await h.call("get_session_summary", scope);
    assert.equal(failed.isError, true);
    const hanging = h.sim.requests.filter((r) => r.status === 0);
    assert.equal(hanging.length, 1, "one read was still waiting on the DXP when the call failed");
    const key = (r: { path: string; query: Record<string, string> }) => `${r.path}?${new URLSearchParams(r.query)}`;
    const mark = h.sim.requests.length;
    h.sim.clearFaults();
    const again = await h.call("get_session_summary", scope);
    assert.equal(again.isError, undefined, textOf(again));
    const askedAgain = h.sim.requests.slice(mark).filter((r) => key(r) === key(hanging[0]!));
    assert.equal(askedAgain.length, 1, "the next call sent that read itself");
  });
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
