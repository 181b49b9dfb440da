import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, usePinnedHarness } from "../helpers/tool-test.ts";

describe("get_session_histogram", () => {
  const h = usePinnedHarness();

  it("get_session_histogram picks hourly buckets for a day and daily ones for a month", async () => {
    const day = (await h().call("get_session_histogram", { timePeriod: "24h" })).structuredContent as {
      interval: string;
      buckets: unknown[];
    };
    assert.equal(day.interval, "HOUR");
    assert.ok(day.buckets.length >= 24 && day.buckets.length <= 25);
    const month = (await h().call("get_session_histogram", { timePeriod: "30d" })).structuredContent as {
      interval: string;
      buckets: unknown[];
    };
    assert.equal(month.interval, "DAY");
  });

  it("refuses hourly buckets over a month with an error that says what to use", async () => {
    const result = await h().call("get_session_histogram", { timePeriod: "LAST_MONTH", interval: "HOUR" });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /interval DAY/);
  });

  it("names as worst day only a day with a fair sample, and says what the minimum was", async () => {
    // Teams over the month: a Sunday with 9 sessions has the highest poor share; the average day has 40.
    const result = await h().call("get_session_histogram", { timePeriod: "LAST_MONTH", platforms: ["TEAMS"] });
    const buckets = (result.structuredContent as { buckets: { start: string; sessions: number }[] }).buckets;
    const match =
      /Worst day \(of those with ≥ (\d+) sessions\): (\d{4}-\d\d-\d\d) 00:00 UTC with [\d.]+% poor of (\d+)\./.exec(
        textOf(result),
      );
    assert.ok(match, textOf(result));
    const nonEmpty = buckets.filter((b) => b.sessions > 0);
    const mean = nonEmpty.reduce((n, b) => n + b.sessions, 0) / nonEmpty.length;
    assert.ok(Number(match[3]) >= mean / 4, `worst day has ${match[3]} sessions; the average day ${mean.toFixed(0)}`);
    assert.equal(Number(match[1]), Math.ceil(mean / 4));
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_session_histogram", [[{ interval: "MINUTE" }, /interval[\s\S]*HOUR|HOUR[\s\S]*interval/]]);
  });
});
