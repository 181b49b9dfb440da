import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, usePinnedHarness } from "../helpers/tool-test.ts";

describe("get_endpoint_test_summaries", () => {
  const h = usePinnedHarness();

  it("lists endpoint tests by result", async () => {
    const list = (
      await h().call("get_endpoint_test_summaries", { results: ["FAIL"], timePeriod: "LAST_WEEK", pageSize: 5 })
    ).structuredContent as { tests: { result: string }[] };
    assert.ok(list.tests.length > 0 && list.tests.every((t) => t.result === "FAIL"));
  });

  it("summarises endpoint tests by site, endpoint, type or day with fail rates and networks, and says when the window is before the data", async () => {
    const bySite = textOf(await h().call("get_endpoint_test_summaries", { by: "site", timePeriod: "LAST_MONTH" }));
    const sites = bySite.split("\n").filter((l) => / \| \d+ \| \d+ \| \d+ \| [\d.]+% \| /.test(l));
    assert.ok(sites[0]?.startsWith("Dallas | "), bySite);
    assert.match(sites[0]!, /\| WIFI$/, "the Dallas endpoints test over Wi-Fi");
    const byEndpoint = textOf(
      await h().call("get_endpoint_test_summaries", { by: "endpoint", timePeriod: "LAST_MONTH" }),
    );
    assert.match(
      byEndpoint,
      /^EPC-DAL-\d\d \| \d+ \| \d+ \| \d+ \| [\d.]+% \| \d\d-\d\d \d\d:\d\d \| Dallas \| WIFI$/m,
    );
    const byDay = textOf(await h().call("get_endpoint_test_summaries", { by: "day", timePeriod: "LAST_WEEK" }));
    assert.match(byDay, /^2025-06-0[5-9] \| \d+ \|/m);
    const before = textOf(
      await h().call("get_endpoint_test_summaries", { from: "2025-04-01T00:00:00Z", to: "2025-04-08T00:00:00Z" }),
    );
    assert.match(before, /No tests match\. The window lies outside the retained data \(it starts 2025-05-13/);
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_endpoint_test_summaries", [[{ pageSize: -1 }, /pageSize/]]);
  });
});
