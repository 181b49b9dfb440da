// Issue 10, "no silent wrong answers": the inconsistencies a careful reader found, names
// that match nothing, windows outside the data and the minimum-sample rule, through the tools.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Harness, startHarness, textOf } from "./helpers/harness.ts";

const NOW = Date.UTC(2025, 5, 12, 10, 30);

describe("no silent wrong answers", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: () => NOW, timeoutMs: 30_000 });
  });
  after(() => h.close());

  const data = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await h.call(name, args);
    assert.equal(result.isError, undefined, textOf(result));
    return result.structuredContent as T;
  };
  const failure = async (name: string, args: Record<string, unknown>): Promise<string> => {
    const result = await h.call(name, args);
    assert.equal(result.isError, true, `expected an error, got: ${textOf(result)}`);
    return textOf(result);
  };

  describe("the same figure reads the same in every tool", () => {
    it("gives each site's poor share in the summary as in the location table (2 of 52 is 3.8% in both)", async () => {
      const table = await data<{ locations: { name: string; poorPercent: number }[] }>("get_location_quality_summary", { timePeriod: "LAST_WEEK" });
      assert.equal(table.locations.length, 14);
      for (const site of table.locations) {
        const summary = textOf(await h.call("get_session_summary", { timePeriod: "LAST_WEEK", locations: [site.name] }));
        const poor = Number(/CRITICAL\(poor\) \d+ \(([\d.]+)%\)/.exec(summary)![1]);
        assert.equal(poor, site.poorPercent, `${site.name}: summary ${poor}% vs table ${site.poorPercent}%`);
      }
    });
  });

  describe("worst bucket", () => {
    it("names as worst day only a day with a fair sample, and says what the minimum was", async () => {
      // Teams over the month: a Sunday with 9 sessions has the highest poor share; the average day has 40.
      const result = await h.call("get_session_histogram", { timePeriod: "LAST_MONTH", platforms: ["TEAMS"] });
      const buckets = (result.structuredContent as { buckets: { start: string; sessions: number }[] }).buckets;
      const match = /Worst day \(of those with ≥ (\d+) sessions\): (\d{4}-\d\d-\d\d) 00:00 UTC with [\d.]+% poor of (\d+)\./.exec(textOf(result));
      assert.ok(match, textOf(result));
      const nonEmpty = buckets.filter((b) => b.sessions > 0);
      const mean = nonEmpty.reduce((n, b) => n + b.sessions, 0) / nonEmpty.length;
      assert.ok(Number(match[3]) >= mean / 4, `worst day has ${match[3]} sessions; the average day ${mean.toFixed(0)}`);
      assert.equal(Number(match[1]), Math.ceil(mean / 4));
    });

    it("does not rank a user with a handful of calls above users with many, and says which were left out", async () => {
      const result = await h.call("get_quality_breakdown", { by: "user", timePeriod: "LAST_WEEK", minSessions: 8, limit: 100 });
      const { groups, minSessions } = result.structuredContent as { minSessions: number; groups: { sessions: number; ranked: boolean; poorPercent: number }[] };
      assert.equal(minSessions, 8);
      const firstUnranked = groups.findIndex((g) => !g.ranked);
      assert.ok(firstUnranked > 0, "some users fall under the minimum");
      assert.ok(groups.slice(0, firstUnranked).every((g) => g.sessions >= 8));
      assert.ok(groups.slice(firstUnranked).every((g) => !g.ranked && g.sessions < 8));
      assert.match(textOf(result), /ranked only with ≥ 8 sessions/);
      assert.match(textOf(result), /\d+ with fewer than 8 sessions not ranked/);
    });
  });

  describe("filters mean what they say", () => {
    it("matches a user on either side of a call: their history includes the calls they received", async () => {
      const list = await data<{ sessions: { from: string; to: string }[] }>("get_detailed_session_list", {
        users: ["Umar Patel"],
        timePeriod: "LAST_MONTH",
        pageSize: 100,
      });
      const email = "umar.patel@acme.example";
      assert.ok(list.sessions.every((s) => s.from === email || s.to === email));
      assert.ok(list.sessions.some((s) => s.to === email), "received calls are there");
      assert.ok(list.sessions.some((s) => s.from === email), "made calls are there");
    });

    it("treats PEER2PEER and PEER_TO_PEER as one session type", async () => {
      const count = async (types: string[]) =>
        (await data<{ totalSessions: number }>("get_session_summary", { timePeriod: "LAST_MONTH", sessionTypes: types })).totalSessions;
      const one = await count(["PEER2PEER"]);
      assert.equal(await count(["PEER_TO_PEER"]), one);
      assert.equal(await count(["PEER2PEER", "PEER_TO_PEER"]), one);
      h.sim.clearRequests();
      await count(["PEER2PEER"]);
      assert.ok(h.sim.requests.every((r) => r.query.sessionTypes === "PEER2PEER,PEER_TO_PEER"));
    });

    it("filters by a location whose name holds a comma", async () => {
      h.sim.clearRequests();
      const summary = await data<{ totalSessions: number }>("get_session_summary", { timePeriod: "LAST_MONTH", locations: ["Paris, La Défense"] });
      assert.ok(summary.totalSessions > 0);
      assert.ok(h.sim.requests.some((r) => r.query.locations === '"Paris, La Défense"'));
      const table = await data<{ locations: { name: string }[] }>("get_location_quality_summary", { timePeriod: "LAST_WEEK", locations: ["Paris, La Défense", "London"] });
      assert.deepEqual(table.locations.map((l) => l.name).sort(), ["London", "Paris, La Défense"]);
    });
  });

  describe("names that match nothing", () => {
    it("answers a misspelt location with the closest one instead of zero sessions", async () => {
      const text = await failure("get_session_summary", { locations: ["Dalas"] });
      assert.match(text, /No location named "Dalas" in tenant acme\. Did you mean Dallas\?/);
      assert.match(await failure("get_location_quality_summary", { locations: ["sao paolo"] }), /Did you mean São Paulo\?/);
      assert.match(await failure("get_detailed_session_list", { locations: ["Paris"] }), /Did you mean Paris, La Défense\?/);
    });

    it("answers a partial user name with the users it could mean", async () => {
      const text = await failure("get_session_summary", { users: ["Umar"] });
      assert.match(text, /No user is exactly "Umar" in tenant acme\. Did you mean .*Umar Patel \(umar\.patel@acme\.example\)/);
      assert.match(await failure("get_detailed_session_list", { users: ["umarr patel"] }), /Did you mean Umar Patel/);
    });

    it("names the closest platform for a misspelt one", async () => {
      const text = await failure("get_session_summary", { platforms: ["TEMS"] });
      assert.match(text, /unknown platform "TEMS"\. Did you mean TEAMS\?/);
    });

    it("lists the tenants the token can see for an unknown tenant", async () => {
      const text = await failure("get_session_summary", { tenant: "acmee" });
      assert.match(text, /This token sees the tenants acme, globex, initech; "acmee" is not one of them\. Did you mean acme\?/);
    });

    it("tells which user a name was resolved to in a user's summary, and the others it could mean", async () => {
      const result = await h.call("get_user_summary", { user: "umar" });
      assert.match(textOf(result), /^User Umar \w+ \(umar\.\w+@acme\.example, [^)]+\), chosen for "umar"; also matching: umar\./);
      assert.match(await failure("get_user_summary", { user: "Zzyzx Qwerty" }), /No user matches "Zzyzx Qwerty" in tenant acme\./);
    });
  });

  describe("windows outside the data", () => {
    it("says what the data covers and what now is for a window before the data", async () => {
      const result = await h.call("get_session_summary", { from: "2024-01-01T00:00:00Z", to: "2024-01-08T00:00:00Z" });
      assert.match(textOf(result), /No sessions: the window lies outside the data \(the data covers 2025-05-13 → 2025-06-12 UTC; now is 2025-06-12 10:30 UTC\)\./);
    });

    it("gives no Δ against a previous period that lies before the data, and says how much of it is covered", async () => {
      const summary = await h.call("get_session_summary", { timePeriod: "LAST_MONTH", compareWithPreviousPeriod: true });
      const text = textOf(summary);
      assert.match(text, /vs previous period \(2025-04-13 10:30 → 2025-05-13 10:30 UTC\): No Δ: Only \d+% of the previous period lies within the retained data \(it starts 2025-05-1\d/);
      assert.doesNotMatch(text, /sessions \d+ → \d+ \(\+/, "no bare change in sessions");
      // Answers leave nulls out (lean.ts): no Δ field at all, the sessions of the previous period still there.
      const change = (summary.structuredContent as { change: { sessions: number; deltaSessions?: number; deltaPoorPoints?: number } }).change;
      assert.deepEqual([typeof change.sessions, change.deltaSessions, change.deltaPoorPoints], ["number", undefined, undefined]);
      const byCarrier = await h.call("get_quality_breakdown", { by: "carrier", timePeriod: "LAST_MONTH", compareWithPreviousPeriod: true });
      const groups = (byCarrier.structuredContent as { groups: { change: { deltaPoorPoints?: number } }[] }).groups;
      assert.ok(groups.length > 0 && groups.every((g) => g.change.deltaPoorPoints === undefined), textOf(byCarrier));
      assert.match(textOf(byCarrier), /No Δ: Only \d+% of the previous period lies within the retained data/);
      const sites = await h.call("get_location_quality_summary", { timePeriod: "LAST_MONTH", compareWithPreviousPeriod: true });
      assert.match(textOf(sites), /No Δ: Only \d+% of the previous period/);
      // A week compared with the week before, both inside the data: the Δ stays.
      const week = await h.call("get_session_summary", { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true });
      assert.match(textOf(week), /sessions \d+ → \d+ \([+−±]/);
    });

    it("gives as first seen the day a client version first appears in the retained data, not the window's start", async () => {
      const text = textOf(await h.call("get_quality_breakdown", { by: "clientVersion", timePeriod: "LAST_WEEK", limit: 30 }));
      const row = text.split("\n").find((l) => l.startsWith("Teams 24.9.1 |"));
      assert.ok(row, text);
      // In use since the data starts (2025-05-13), long before this week (from 2025-06-05).
      assert.equal(row.split(" | ").at(-1), "2025-05-13", row);
      const rolledOut = text.split("\n").find((l) => l.startsWith("Teams 25.1.0 |"));
      assert.equal(rolledOut?.split(" | ").at(-1), "2025-06-02", rolledOut);
    });

    it("summarises endpoint tests by site, endpoint, type or day with fail rates and networks, and says when the window is before the data", async () => {
      const bySite = textOf(await h.call("get_endpoint_test_summaries", { by: "site", timePeriod: "LAST_MONTH" }));
      const sites = bySite.split("\n").filter((l) => / \| \d+ \| \d+ \| \d+ \| [\d.]+% \| /.test(l));
      assert.ok(sites[0]?.startsWith("Dallas | "), bySite);
      assert.match(sites[0]!, /\| WIFI$/, "the Dallas endpoints test over Wi-Fi");
      const byEndpoint = textOf(await h.call("get_endpoint_test_summaries", { by: "endpoint", timePeriod: "LAST_MONTH" }));
      assert.match(byEndpoint, /^EPC-DAL-\d\d \| \d+ \| \d+ \| \d+ \| [\d.]+% \| \d\d-\d\d \d\d:\d\d \| Dallas \| WIFI$/m);
      const byDay = textOf(await h.call("get_endpoint_test_summaries", { by: "day", timePeriod: "LAST_WEEK" }));
      assert.match(byDay, /^2025-06-0[5-9] \| \d+ \|/m);
      const before = textOf(await h.call("get_endpoint_test_summaries", { from: "2025-04-01T00:00:00Z", to: "2025-04-08T00:00:00Z" }));
      assert.match(before, /No tests match\. The window lies outside the retained data \(it starts 2025-05-13/);
    });

    it("says the window is in the future", async () => {
      const result = await h.call("get_location_quality_summary", { from: "2025-07-01T00:00:00Z", to: "2025-07-02T00:00:00Z" });
      assert.match(textOf(result), /No sessions: the window starts in the future \(now is 2025-06-12 10:30 UTC\)\./);
    });

    it("tells a filter that matches nothing apart from a window without data", async () => {
      const named = await h.call("get_detailed_session_list", { timePeriod: "LAST_HOUR", platforms: ["RINGCENTRAL"] });
      assert.match(textOf(named), /No sessions match filter platforms RINGCENTRAL in the LAST_HOUR window \(now is 2025-06-12 10:30 UTC\)\./);
      const custom = await h.call("get_detailed_session_list", { from: "2025-06-01T00:00:00Z", to: "2025-06-02T00:00:00Z", platforms: ["RINGCENTRAL"] });
      assert.match(textOf(custom), /No sessions match filter platforms RINGCENTRAL in the last 90 days \(now is 2025-06-12 10:30 UTC\)\./);
      const outside = await h.call("get_detailed_session_list", { from: "2024-06-01T00:00:00Z", to: "2024-06-02T00:00:00Z", platforms: ["TEAMS"] });
      assert.match(textOf(outside), /No sessions: the window lies outside the data \(the data for this filter covers 2025-05-13 → 2025-06-12 UTC; now is/);
    });
  });
});
