import { describe } from "node:test";
import { refusesBadInput, useHarness } from "../helpers/tool-test.ts";

describe("find_quality_changes", () => {
  const h = useHarness();

  describe("bad input", () => {
    refusesBadInput(h, "find_quality_changes", [
      [{ by: "carrier" }, /\bby\b/],
      [{ timePeriod: "yesterday" }, /timePeriod[\s\S]*LAST_HOUR|LAST_HOUR[\s\S]*timePeriod/],
    ]);
  });
});
