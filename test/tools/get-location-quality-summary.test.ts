import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, useHarness } from "../helpers/tool-test.ts";

describe("get_location_quality_summary", () => {
  const h = useHarness();

  it("get_location_quality_summary puts the site with Wi-Fi trouble first", async () => {
    const result = await h().call("get_location_quality_summary", { timePeriod: "LAST_MONTH" });
    const data = result.structuredContent as { locations: { name: string; poorPercent: number }[] };
    assert.equal(data.locations[0]?.name, "Dallas");
    assert.match(textOf(result), /Dallas/);
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_location_quality_summary", [[{ sortBy: "vibes" }, /sortBy/]]);
  });
});
