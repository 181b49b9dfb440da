import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { textOf, usePinnedHarness } from "../helpers/tool-test.ts";

describe("get_quality_breakdown", () => {
  const h = usePinnedHarness();

  it("does not rank a user with a handful of calls above users with many, and says which were left out", async () => {
    const result = await h().call("get_quality_breakdown", {
      by: "user",
      timePeriod: "LAST_WEEK",
      minSessions: 8,
      limit: 100,
    });
    const { groups, minSessions } = result.structuredContent as {
      minSessions: number;
      groups: { sessions: number; ranked: boolean; poorPercent: number }[];
    };
    assert.equal(minSessions, 8);
    const firstUnranked = groups.findIndex((g) => !g.ranked);
    assert.ok(firstUnranked > 0, "some users fall under the minimum");
    assert.ok(groups.slice(0, firstUnranked).every((g) => g.sessions >= 8));
    assert.ok(groups.slice(firstUnranked).every((g) => !g.ranked && g.sessions < 8));
    assert.match(textOf(result), /ranked only with ≥ 8 sessions/);
    assert.match(textOf(result), /\d+ with fewer than 8 sessions not ranked/);
  });

  it("gives as first seen the day a client version first appears in the retained data, not the window's start", async () => {
    const text = textOf(
      await h().call("get_quality_breakdown", { by: "clientVersion", timePeriod: "LAST_WEEK", limit: 30 }),
    );
    const row = text.split("\n").find((l) => l.startsWith("Teams 24.9.1 |"));
    assert.ok(row, text);
    // In use since the data starts (2025-05-13), long before this week (from 2025-06-05).
    assert.equal(row.split(" | ").at(-1), "2025-05-13", row);
    const rolledOut = text.split("\n").find((l) => l.startsWith("Teams 25.1.0 |"));
    assert.equal(rolledOut?.split(" | ").at(-1), "2025-06-02", rolledOut);
  });
});
