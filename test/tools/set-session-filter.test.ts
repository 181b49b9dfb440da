import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, useHarness } from "../helpers/tool-test.ts";

describe("set_session_filter: the session filter", () => {
  const h = useHarness();

  it("is applied by every session tool until cleared, and each answer says so", async () => {
    const set = await h().call("set_session_filter", {
      timePeriod: "LAST_WEEK",
      platforms: ["TEAMS"],
      qualities: ["CRITICAL"],
    });
    assert.equal(set.isError, undefined, textOf(set));
    h().sim.clearRequests();
    const summary = await h().call("get_session_summary");
    assert.match(textOf(summary), /platforms TEAMS; qualities CRITICAL/);
    // The data's freshness (datamart status) is the tenant's, not the filter's.
    // The coverage read (the data's extent, the last 90 days by day) carries the filter over its own window.
    const coverage = (r: { path: string }) => r.path.endsWith("/quality/nectarscore/bar/graph");
    assert.ok(
      h().sim.requests.some(coverage) &&
        h()
          .sim.requests.filter(coverage)
          .every((r) => r.query.platforms === "TEAMS" && r.query.interval === "DAY"),
    );
    assert.ok(
      h()
        .sim.requests.filter((r) => !r.path.endsWith("/datamart/status") && !coverage(r))
        .every(
          (r) =>
            r.query.platforms === "TEAMS" && r.query.qualities === "CRITICAL" && r.query.timePeriod === "LAST_WEEK",
        ),
    );
    const list = (await h().call("get_detailed_session_list", { pageSize: 10 })).structuredContent as {
      sessions: { quality: string }[];
    };
    assert.ok(list.sessions.every((s) => s.quality === "CRITICAL"));
  });

  it("takes per-call overrides without changing what is saved", async () => {
    h().sim.clearRequests();
    await h().call("get_session_summary", { platforms: ["ZOOM"], timePeriod: "24h" });
    // An empty answer adds one unfiltered day-by-day histogram (what the data covers); every other request carries the filter.
    const own = h().sim.requests.filter((r) => r.query.interval === undefined);
    assert.ok(own.length >= 6 && own.every((r) => r.query.platforms === "ZOOM" && r.query.timePeriod === "CUSTOM"));
    const shown = (await h().call("set_session_filter")).structuredContent as {
      action: string;
      filter: { platforms: string[] };
    };
    assert.equal(shown.action, "shown");
    assert.deepEqual(shown.filter.platforms, ["TEAMS"]);
  });

  it("can be cleared", async () => {
    const cleared = (await h().call("set_session_filter", { clear: true })).structuredContent as {
      action: string;
      filter: object;
    };
    assert.equal(cleared.action, "cleared");
    assert.deepEqual(cleared.filter, {});
    h().sim.clearRequests();
    await h().call("get_session_summary");
    // Besides the coverage read (the last 90 days by day, CUSTOM), every request asks LAST_DAY.
    assert.ok(
      h().sim.requests.every(
        (r) => r.query.platforms === undefined && (r.query.timePeriod === "LAST_DAY" || r.query.interval === "DAY"),
      ),
    );
  });

  it("is echoed in structuredContent only when one applies (the text says filter: none)", async () => {
    const none = await h().call("get_session_summary");
    assert.match(textOf(none), /filter: none/);
    assert.equal("filter" in none.structuredContent!, false);
    const some = await h().call("get_session_summary", { platforms: ["ZOOM"] });
    assert.deepEqual((some.structuredContent as { filter?: unknown }).filter, { platforms: ["ZOOM"] });
  });

  it("sends relative spans and RFC 3339 bounds upstream as an absolute UTC window", async () => {
    h().sim.clearRequests();
    const result = await h().call("get_session_summary", {
      from: "2026-11-20T09:00:00+02:00",
      to: "2026-11-21T09:00:00+02:00",
    });
    assert.equal(result.isError, undefined, textOf(result));
    const query = h().sim.requests[0]!.query;
    assert.equal(query.timePeriod, "CUSTOM");
    assert.equal(query.startDateFrom, "2026-11-20T07:00:00Z");
    assert.equal(query.startDateTo, "2026-11-21T07:00:00Z");
    assert.match(textOf(result), /2026-11-20 07:00 → 2026-11-21 07:00 UTC/);
  });
  describe("bad input", () => {
    refusesBadInput(h, "set_session_filter", [
      [{ qualities: ["POOR"] }, /qualities[\s\S]*CRITICAL|CRITICAL[\s\S]*qualities/],
      [{ locations: [""] }, /locations/],
    ]);
  });
});
