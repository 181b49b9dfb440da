import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("get_endpoint_test_count", () => {
  const h = useHarness();

  it("counts endpoint tests by result and location", async () => {
    const all = (await h().call("get_endpoint_test_count", { timePeriod: "LAST_WEEK" })).structuredContent as {
      count: number;
    };
    const failed = (
      await h().call("get_endpoint_test_count", { timePeriod: "LAST_WEEK", results: ["FAIL"], locations: ["Dallas"] })
    ).structuredContent as { count: number };
    assert.ok(all.count > failed.count && failed.count > 0);
    // The last request may be the data's extent (the coverage read, issue 20 item 1); the count is before it.
    assert.equal(h().sim.requests.findLast((r) => r.path.endsWith("/testing/entities/count"))?.query.results, "FAIL");
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_endpoint_test_count", [[{ results: ["MAYBE"] }, /results[\s\S]*PASS|PASS[\s\S]*results/]]);
  });
});
