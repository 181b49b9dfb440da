import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("get_locations", () => {
  const h = useHarness();

  it("finds locations by country", async () => {
    const locations = (await h().call("get_locations", { search: "Japan" })).structuredContent as {
      locations: { name: string }[];
    };
    assert.deepEqual(
      locations.locations.map((l) => l.name),
      ["Tokyo"],
    );
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_locations", [[{ pageSize: 0 }, /pageSize/]]);
  });
});
