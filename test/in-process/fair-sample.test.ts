// "Worst with a fair sample" (lib/tool-answers/sample.ts worstFirst), the one ranking of the
// breakdown, the location table, the endpoint tests, the histogram's worst bucket and
// get_user_summary's worst user: a group under the minimum sample never outranks one over
// it, and among groups that read equally bad the biggest comes first.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ENDPOINTS } from "../../lib/client/endpoints.ts";
import { minSample, worstFirst } from "../../lib/tool-answers/sample.ts";
import { worstBucket } from "../../lib/tool-answers/worst-bucket.ts";
import { type Harness, startHarness, textOf } from "../helpers/harness.ts";
import { type Listening, listen } from "../helpers/listen.ts";

const group = (name: string, sessions: number, poorPercent: number) => ({ name, sessions, poorPercent });
const names = (rows: readonly { name: string }[]) => rows.map((r) => r.name);

describe("worstFirst", () => {
  it("ranks the groups with a fair sample first, worst first, the biggest breaking a tie", () => {
    const groups = [
      group("tiny-all-poor", 1, 100),
      group("big-bad", 400, 40),
      group("small-bad", 120, 40),
      group("fine", 300, 5),
      group("tiny-fine", 2, 0),
    ];
    const { ranked, floor, worst, unranked } = worstFirst(
      groups,
      (g) => g.sessions,
      (g) => g.poorPercent,
    );
    assert.equal(floor, minSample(groups.map((g) => g.sessions)));
    assert.deepEqual(names(ranked), ["big-bad", "small-bad", "fine", "tiny-all-poor", "tiny-fine"]);
    assert.equal(worst?.name, "big-bad");
    assert.equal(unranked, 2);
  });

  it("names no worst when no group reaches the floor, and takes a floor the caller sets", () => {
    assert.equal(
      worstFirst(
        [group("a", 3, 50), group("b", 4, 25)],
        (g) => g.sessions,
        (g) => g.poorPercent,
      ).worst,
      undefined,
    );
    const set = worstFirst(
      [group("a", 3, 50), group("b", 30, 25)],
      (g) => g.sessions,
      (g) => g.poorPercent,
      2,
    );
    assert.deepEqual([names(set.ranked), set.floor, set.unranked], [["a", "b"], 2, 0]);
  });

  it("the histogram's worst bucket is the bigger of two that read the same", () => {
    const buckets = [
      { start: "quiet", sessions: 40, poorPercent: 25 },
      { start: "busy", sessions: 200, poorPercent: 25 },
      { start: "weekend", sessions: 6, poorPercent: 90 },
    ];
    assert.equal(worstBucket(buckets).worst?.start, "busy");
  });
});

describe("get_location_quality_summary with a one-session site", () => {
  let h: Harness;
  let front: Listening;
  let simulator = "";
  const TINY = "Tiny Outpost";

  before(async () => {
    // The simulator's quality map, with one more site: one session, and that one poor.
    front = await listen(async (request) => {
      const url = new URL(request.url);
      const answer = await fetch(`${simulator}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
      });
      if (!url.pathname.endsWith(`/${ENDPOINTS.qualityMap.path}`) || !answer.ok) return answer;
      const sites = (await answer.json()) as { location: Record<string, unknown> }[];
      const tiny = {
        location: { ...sites[0]!.location, id: 999_999, name: TINY, city: "Nowhere" },
        sessions: { good: 0, average: 0, poor: 1, unknown: 0, all: 1 },
        avgNectarScore: 3,
      };
      return Response.json([...sites, tiny]);
    });
    h = await startHarness({
      environment: (defaults) => {
        simulator = defaults.url!;
        return { ...defaults, url: front.url };
      },
    });
  });
  after(async () => {
    await h?.close();
    await front?.close();
  });

  for (const sortBy of ["poorPercent", "avgNectarScore"] as const) {
    it(`sorted by ${sortBy}, puts the big bad site first and the one-session site after every site with a fair sample`, async () => {
      const result = await h.call("get_location_quality_summary", { timePeriod: "LAST_MONTH", sortBy, limit: 100 });
      assert.equal(result.isError, undefined, textOf(result));
      const rows = (result.structuredContent as { locations: { name: string; sessions: number }[] }).locations;
      const floor = minSample(rows.map((r) => r.sessions));
      const tiny = rows.findIndex((r) => r.name === TINY);
      assert.ok(tiny > 0, `the one-session site is listed, not first (${names(rows).join(", ")})`);
      assert.ok(
        rows.slice(0, tiny).every((r) => r.sessions >= floor),
        "every site above it has a fair sample",
      );
      if (sortBy === "poorPercent") assert.equal(rows[0]?.name, "Dallas", "the site with Wi-Fi trouble is first");
      const text = textOf(result);
      assert.match(text, new RegExp(`first; ranked only with ≥ ${floor} sessions\\)`));
      assert.match(text, new RegExp(`^${TINY} \\(too few\\) \\|`, "m"));
      assert.match(text, new RegExp(`1 with fewer than ${floor} sessions not ranked\\.`));
    });
  }

  it("sorted by sessions, lists the sites biggest first and says nothing of a minimum", async () => {
    const result = await h.call("get_location_quality_summary", {
      timePeriod: "LAST_MONTH",
      sortBy: "sessions",
      limit: 100,
    });
    const rows = (result.structuredContent as { locations: { name: string; sessions: number }[] }).locations;
    assert.deepEqual(
      rows.map((r) => r.sessions),
      [...rows.map((r) => r.sessions)].sort((a, b) => b - a),
    );
    assert.equal(rows.at(-1)?.name, TINY);
    assert.doesNotMatch(textOf(result), /ranked only|too few|not ranked/);
  });
});
