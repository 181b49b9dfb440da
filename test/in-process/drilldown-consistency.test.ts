// Issue 10, "no silent wrong answers": the inconsistencies a careful reader found, names
// that match nothing, windows outside the data and the minimum-sample rule, through the tools.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { roundTrips } from "../../lib/simulator/index.ts";
import { type Harness, startHarness, textOf } from "../helpers/harness.ts";

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
      const table = await data<{ locations: { name: string; poorPercent: number }[] }>("get_location_quality_summary", {
        timePeriod: "LAST_WEEK",
      });
      assert.equal(table.locations.length, 14);
      for (const site of table.locations) {
        const summary = textOf(
          await h.call("get_session_summary", { timePeriod: "LAST_WEEK", locations: [site.name] }),
        );
        const poor = Number(/CRITICAL\(poor\) \d+ \(([\d.]+)%\)/.exec(summary)![1]);
        assert.equal(poor, site.poorPercent, `${site.name}: summary ${poor}% vs table ${site.poorPercent}%`);
      }
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
      assert.ok(
        list.sessions.some((s) => s.to === email),
        "received calls are there",
      );
      assert.ok(
        list.sessions.some((s) => s.from === email),
        "made calls are there",
      );
    });

    it("treats PEER2PEER and PEER_TO_PEER as one session type", async () => {
      const count = async (types: string[]) =>
        (
          await data<{ totalSessions: number }>("get_session_summary", {
            timePeriod: "LAST_MONTH",
            sessionTypes: types,
          })
        ).totalSessions;
      const one = await count(["PEER2PEER"]);
      assert.equal(await count(["PEER_TO_PEER"]), one);
      assert.equal(await count(["PEER2PEER", "PEER_TO_PEER"]), one);
      h.sim.clearRequests();
      await count(["PEER2PEER"]);
      assert.ok(h.sim.requests.every((r) => r.query.sessionTypes === "PEER2PEER,PEER_TO_PEER"));
    });

    it("filters by a location whose name holds a comma", async () => {
      h.sim.clearRequests();
      const summary = await data<{ totalSessions: number }>("get_session_summary", {
        timePeriod: "LAST_MONTH",
        locations: ["Paris, La Défense"],
      });
      assert.ok(summary.totalSessions > 0);
      assert.ok(h.sim.requests.some((r) => r.query.locations === '"Paris, La Défense"'));
      const table = await data<{ locations: { name: string }[] }>("get_location_quality_summary", {
        timePeriod: "LAST_WEEK",
        locations: ["Paris, La Défense", "London"],
      });
      assert.deepEqual(table.locations.map((l) => l.name).sort(), ["London", "Paris, La Défense"]);
    });
  });

  describe("names that match nothing", () => {
    it("answers a misspelt location with the closest one instead of zero sessions", async () => {
      const text = await failure("get_session_summary", { locations: ["Dalas"] });
      assert.match(text, /No location named "Dalas" in tenant acme\. Did you mean Dallas\?/);
      assert.match(
        await failure("get_location_quality_summary", { locations: ["sao paolo"] }),
        /Did you mean São Paulo\?/,
      );
      assert.match(
        await failure("get_detailed_session_list", { locations: ["Paris"] }),
        /Did you mean Paris, La Défense\?/,
      );
    });

    it("answers a partial user name with the users it could mean", async () => {
      const text = await failure("get_session_summary", { users: ["Umar"] });
      assert.match(
        text,
        /No user is exactly "Umar" in tenant acme\. Did you mean .*Umar Patel \(umar\.patel@acme\.example\)/,
      );
      assert.match(await failure("get_detailed_session_list", { users: ["umarr patel"] }), /Did you mean Umar Patel/);
    });

    it("suggests enum values by meaning and e-mails at the tenant's domain (issue 20, item 2)", async () => {
      assert.match(
        await failure("get_session_summary", { qualities: ["poor"] }),
        /unknown quality "poor"\. Did you mean CRITICAL\? Accepted/,
      );
      assert.match(
        await failure("get_detailed_session_list", { networkTypes: ["wireless"] }),
        /Did you mean WIFI\? Accepted/,
      );
      assert.match(
        await failure("get_session_summary", { users: ["emeka.dias@acme.com"] }),
        /No user has the email "emeka\.dias@acme\.com" in tenant acme\. Did you mean Emeka Dias \(emeka\.dias@acme\.example\)\?/,
      );
      // A counterpart outside the tenant is still a fair filter.
      assert.equal(
        (await h.call("get_session_summary", { users: ["noah.anderson@northwind.example"] })).isError,
        undefined,
      );
    });

    it("answers a partial device, client version, trunk id or server with the closest group, never zero sessions", async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [
          { devices: ["Kestrel K5"] },
          /No device "Kestrel K5" has sessions in this window in tenant acme\. Did you mean Kestrel K5 headset/,
        ],
        [{ clientVersions: ["Teams 25.1"] }, /No client version "Teams 25\.1" .* Did you mean Teams 25\.1\.0/],
        [{ carriers: ["NLT-2"] }, /No carrier "NLT-2" .* Did you mean Northline Telecom \/ trunk NLT-2/],
        [{ servers: ["relay-us-east"] }, /No server "relay-us-east" .* Did you mean relay-us-east-1/],
      ];
      for (const [filter, expected] of cases) {
        for (const tool of ["get_session_summary", "get_quality_breakdown", "get_detailed_session_list"]) {
          assert.match(
            await failure(tool, { timePeriod: "LAST_WEEK", ...filter }),
            expected,
            `${tool} ${JSON.stringify(filter)}`,
          );
        }
      }
      // The singular alias of earlier hints is checked the same way.
      assert.match(
        await failure("get_detailed_session_list", { timePeriod: "LAST_WEEK", device: "Kestrel K5" }),
        /Did you mean Kestrel K5 headset/,
      );
    });

    it("names the closest platform for a misspelt one", async () => {
      const text = await failure("get_session_summary", { platforms: ["TEMS"] });
      assert.match(text, /unknown platform "TEMS"\. Did you mean TEAMS\?/);
    });

    it("lists the tenants the token can see for an unknown tenant", async () => {
      const text = await failure("get_session_summary", { tenant: "acmee" });
      assert.match(
        text,
        /This token sees the tenants acme, globex, initech; "acmee" is not one of them\. Did you mean acme\?/,
      );
    });
  });

  describe("windows outside the data", () => {
    it("says what the data covers and what now is for a window before the data", async () => {
      const result = await h.call("get_session_summary", { from: "2024-01-01T00:00:00Z", to: "2024-01-08T00:00:00Z" });
      assert.match(
        textOf(result),
        /No sessions: the window lies outside the data \(the data covers 2025-05-13 → 2025-06-12 UTC; now is 2025-06-12 10:30 UTC\)\./,
      );
    });

    it("gives no Δ against a previous period that lies before the data, and says how much of it is covered", async () => {
      const summary = await h.call("get_session_summary", {
        timePeriod: "LAST_MONTH",
        compareWithPreviousPeriod: true,
      });
      const text = textOf(summary);
      assert.match(
        text,
        /vs previous period \(2025-04-13 10:30 → 2025-05-13 10:30 UTC\): No Δ: Only \d+% of the previous period lies within the retained data \(it starts 2025-05-1\d/,
      );
      assert.doesNotMatch(text, /sessions \d+ → \d+ \(\+/, "no bare change in sessions");
      // Answers leave nulls out (lean.ts): no Δ field at all, the sessions of the previous period still there.
      const change = (
        summary.structuredContent as { change: { sessions: number; deltaSessions?: number; deltaPoorPoints?: number } }
      ).change;
      assert.deepEqual(
        [typeof change.sessions, change.deltaSessions, change.deltaPoorPoints],
        ["number", undefined, undefined],
      );
      const byCarrier = await h.call("get_quality_breakdown", {
        by: "carrier",
        timePeriod: "LAST_MONTH",
        compareWithPreviousPeriod: true,
      });
      const groups = (byCarrier.structuredContent as { groups: { change: { deltaPoorPoints?: number } }[] }).groups;
      assert.ok(groups.length > 0 && groups.every((g) => g.change.deltaPoorPoints === undefined), textOf(byCarrier));
      assert.match(textOf(byCarrier), /No Δ: Only \d+% of the previous period lies within the retained data/);
      const sites = await h.call("get_location_quality_summary", {
        timePeriod: "LAST_MONTH",
        compareWithPreviousPeriod: true,
      });
      assert.match(textOf(sites), /No Δ: Only \d+% of the previous period/);
      // A week compared with the week before, both inside the data: the Δ stays.
      const week = await h.call("get_session_summary", { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true });
      assert.match(textOf(week), /sessions \d+ → \d+ \([+−±]/);
    });

    it("gives as first seen the day a group first appears in the retained data for every dimension, not in the window", async () => {
      type Groups = { groups: { name: string; firstSeen?: string }[] };
      const byDevice = await data<Groups>("get_quality_breakdown", { by: "device", timePeriod: "LAST_WEEK" });
      const byNetwork = await data<Groups>("get_quality_breakdown", { by: "networkType", timePeriod: "LAST_DAY" });
      for (const g of [...byDevice.groups, ...byNetwork.groups]) {
        // Each in use since the data starts (2025-05-13), long before this week or day.
        assert.match(g.firstSeen ?? "", /^2025-05-13T/, `${g.name}: ${g.firstSeen}`);
      }
    });

    // Issue 20, item 1: every tool that reads a window says when it reaches outside the retained data, and how much is covered.
    it("says on every window-reading tool how much of a window that starts before the data is covered, and nothing for a window inside it", async () => {
      const early = { from: "2025-05-01T00:00:00Z", to: "2025-05-20T00:00:00Z" };
      const note = /^Only 37% of the window lies within the retained data \(it starts 2025-05-13 00:00 UTC\)\.$/m;
      const calls: [string, Record<string, unknown>][] = [
        ["get_session_summary", {}],
        ["get_session_histogram", {}],
        ["get_session_histogram", { by: "carrier", limit: 2 }],
        ["get_detailed_session_list", {}],
        ["get_quality_breakdown", { by: "device" }],
        ["get_location_quality_summary", {}],
        ["get_endpoint_test_count", {}],
        ["get_endpoint_test_summaries", {}],
        ["get_endpoint_test_summaries", { by: "site" }],
      ];
      for (const [name, args] of calls) {
        assert.match(textOf(await h.call(name, { ...early, ...args })), note, `${name} ${JSON.stringify(args)}`);
        const inside = textOf(await h.call(name, { timePeriod: "LAST_WEEK", ...args }));
        assert.doesNotMatch(
          inside,
          /retained data|data for this filter/,
          `${name} ${JSON.stringify(args)} inside the data`,
        );
      }
      // get_session_details without a sessionId opens the worst session of the session filter's window.
      await h.call("set_session_filter", early);
      try {
        assert.match(textOf(await h.call("get_session_details", {})), note, "get_session_details {}");
      } finally {
        await h.call("set_session_filter", { clear: true });
      }
      // A filter's own extent is named as such, not as the retained data.
      const filtered = textOf(await h.call("get_session_histogram", { ...early, locations: ["Dallas"] }));
      assert.match(filtered, /^Only 37% of the window lies within the data for this filter \(it starts 2025-05-13/m);
    });

    it("says so for a named period too when the DXP keeps less than it (LAST_MONTH on 10 days of data)", async () => {
      const short = await startHarness({
        now: () => NOW,
        timeoutMs: 30_000,
        simulator: { days: 10, sessionsPerTenant: 600 },
      });
      try {
        const note = /^Only 3\d% of the window lies within the retained data \(it starts 2025-06-0\d 00:00 UTC\)\.$/m;
        for (const name of [
          "get_session_histogram",
          "get_detailed_session_list",
          "get_endpoint_test_count",
          "get_session_summary",
          "get_user_summary",
        ]) {
          const args =
            name === "get_user_summary"
              ? { user: "Ingrid Hughes", timePeriod: "LAST_MONTH" }
              : { timePeriod: "LAST_MONTH" };
          const result = await short.call(name, args);
          assert.equal(result.isError, undefined, textOf(result));
          assert.match(textOf(result), note, name);
        }
      } finally {
        await short.close();
      }
    });

    it("says the window is in the future", async () => {
      const result = await h.call("get_location_quality_summary", {
        from: "2025-07-01T00:00:00Z",
        to: "2025-07-02T00:00:00Z",
      });
      assert.match(textOf(result), /No sessions: the window starts in the future \(now is 2025-06-12 10:30 UTC\)\./);
    });

    it("tells a filter that matches nothing apart from a window without data", async () => {
      const named = await h.call("get_detailed_session_list", { timePeriod: "LAST_HOUR", platforms: ["RINGCENTRAL"] });
      assert.match(
        textOf(named),
        /No sessions match filter platforms RINGCENTRAL in the LAST_HOUR window \(now is 2025-06-12 10:30 UTC\)\./,
      );
      const custom = await h.call("get_detailed_session_list", {
        from: "2025-06-01T00:00:00Z",
        to: "2025-06-02T00:00:00Z",
        platforms: ["RINGCENTRAL"],
      });
      assert.match(
        textOf(custom),
        /No sessions match filter platforms RINGCENTRAL in the last 90 days \(now is 2025-06-12 10:30 UTC\)\./,
      );
      const outside = await h.call("get_detailed_session_list", {
        from: "2024-06-01T00:00:00Z",
        to: "2024-06-02T00:00:00Z",
        platforms: ["TEAMS"],
      });
      assert.match(
        textOf(outside),
        /No sessions: the window lies outside the data \(the data for this filter covers 2025-05-13 → 2025-06-12 UTC; now is/,
      );
    });
  });

  // Issue 20, item 3: the same filter fields on every session tool, exclusion, hints that keep the scope.
  describe("one filter set on every session tool", () => {
    const SESSION_TOOLS = [
      "get_session_summary",
      "get_session_histogram",
      "get_quality_breakdown",
      "get_detailed_session_list",
      "get_location_quality_summary",
    ];
    const totalOf = async (name: string, args: Record<string, unknown>): Promise<number> => {
      const d = await data<Record<string, unknown>>(name, { timePeriod: "LAST_WEEK", ...args });
      if (name === "get_session_summary") return d.totalSessions as number;
      if (name === "get_session_histogram")
        return (d.buckets as { sessions: number }[]).reduce((n, b) => n + b.sessions, 0);
      if (name === "get_quality_breakdown")
        return (d.groups as { sessions: number }[]).reduce((n, g) => n + g.sessions, 0);
      if (name === "get_detailed_session_list") return (d.page as { totalElements: number }).totalElements;
      return (d.locations as { sessions: number }[]).reduce((n, l) => n + l.sessions, 0);
    };

    it("accepts the session filter's and the drill-down fields on all five tools, and counts the same sessions", async () => {
      const filters = [
        { devices: ["Kestrel K5 headset"] },
        { carriers: ["Northline Telecom / trunk NLT-2"], qualities: ["CRITICAL"] },
        { networkTypes: ["WIFI"], clientVersions: ["Teams 25.1.0"] },
        { modalities: ["AUDIO"], sessionScenarios: ["INTERNAL"], sessionTypes: ["PEER2PEER"] },
        { servers: ["sbc-dal-1"] },
      ];
      for (const filter of filters) {
        // The breakdown by platform counts each session once (by user would count both parties).
        const totals = await Promise.all(
          SESSION_TOOLS.map((name) =>
            totalOf(name, name === "get_quality_breakdown" ? { ...filter, by: "platform", minSessions: 1 } : filter),
          ),
        );
        assert.ok(totals[0]! > 0, `${JSON.stringify(filter)}: no sessions`);
        assert.deepEqual(
          totals,
          totals.map(() => totals[0]),
          `${JSON.stringify(filter)}: ${SESSION_TOOLS.map((n, i) => `${n} ${totals[i]}`).join(", ")}`,
        );
      }
    });

    it("leaves a site out with exclude: every site but Dallas in one call, and says so", async () => {
      const all = await totalOf("get_session_summary", {});
      const dallas = await totalOf("get_session_summary", { locations: ["Dallas"] });
      const rest = await h.call("get_location_quality_summary", {
        timePeriod: "LAST_WEEK",
        locations: ["Dallas"],
        exclude: ["locations"],
        limit: 100,
      });
      const sites = (rest.structuredContent as { locations: { name: string; sessions: number }[] }).locations;
      assert.ok(sites.length > 5 && !sites.some((l) => l.name === "Dallas"), textOf(rest));
      assert.match(textOf(rest), /filter: locations not Dallas/);
      for (const name of SESSION_TOOLS) {
        const args = name === "get_quality_breakdown" ? { by: "platform", minSessions: 1 } : {};
        assert.equal(
          await totalOf(name, { ...args, locations: ["Dallas"], exclude: ["locations"] }),
          all - dallas,
          name,
        );
      }
      // A misspelt site left out is refused as a misspelt site kept is.
      assert.match(
        await failure("get_session_summary", { locations: ["Dalas"], exclude: ["locations"] }),
        /Did you mean Dallas\?/,
      );
    });

    it("gives hints that keep the whole scope: following the breakdown's Next line literally keeps window, filter and filterId", async () => {
      const saved = await data<{ filterId: string }>("set_session_filter", { platforms: ["TEAMS"] });
      const args = {
        by: "networkType",
        timePeriod: "LAST_WEEK",
        locations: ["Dallas"],
        sessionScenarios: ["INTERNAL"],
        filterId: saved.filterId,
      };
      const breakdown = await h.call("get_quality_breakdown", args);
      const next = /Next: get_detailed_session_list with (.+) for example sessions/.exec(textOf(breakdown));
      assert.ok(next, textOf(breakdown));
      const hinted = Object.fromEntries(
        [...next[1]!.matchAll(/(\w+) ("[^"]*"|\[[^\]]*\])/g)].map((m) => [m[1]!, JSON.parse(m[2]!)]),
      );
      assert.deepEqual(hinted, {
        timePeriod: "LAST_WEEK",
        platforms: ["TEAMS"],
        sessionScenarios: ["INTERNAL"],
        qualities: ["CRITICAL"],
        locations: ["Dallas"],
        networkTypes: ["WIFI"],
        filterId: saved.filterId,
      });
      const list = await data<{
        window: { label: string };
        filter: Record<string, string[]>;
        page: { totalElements: number };
      }>("get_detailed_session_list", hinted);
      assert.equal(list.window.label, "LAST_WEEK");
      assert.deepEqual(list.filter, {
        platforms: ["TEAMS"],
        sessionScenarios: ["INTERNAL"],
        qualities: ["CRITICAL"],
        locations: ["Dallas"],
        networkTypes: ["WIFI"],
      });
      const wifi = (breakdown.structuredContent as { groups: { name: string; poor: number }[] }).groups.find(
        (g) => g.name === "WIFI",
      )!;
      assert.equal(list.page.totalElements, wifi.poor);
      await h.call("set_session_filter", { clear: true });
    });
  });

  // Issue 20, item 4: with a users filter, the leg dimensions count the user's own leg.
  describe("a user's own legs", () => {
    type Groups = Record<"devices" | "networkTypes" | "clientTypes", { name: string; sessions: number }[]>;
    const BY = { devices: "device", networkTypes: "networkType", clientTypes: "clientType" } as const;

    it("counts a user's devices, networks and clients in the breakdown as get_user_summary does, for several users, and says so", async () => {
      const found = await data<{ users: { email: string; displayName: string }[] }>("get_users", {
        search: "Ingrid",
        pageSize: 3,
      });
      const worst = await data<{ groups: { name: string }[] }>("get_quality_breakdown", {
        by: "user",
        timePeriod: "LAST_WEEK",
        limit: 3,
      });
      const emails = [...new Set([...found.users.map((u) => u.email), ...worst.groups.map((g) => g.name)])];
      assert.ok(found.users.some((u) => u.displayName === "Ingrid Hughes") && emails.length >= 4, emails.join(", "));
      for (const email of emails) {
        const summary = await data<{ groups: Groups }>("get_user_summary", { user: email, timePeriod: "LAST_WEEK" });
        for (const [field, by] of Object.entries(BY) as [keyof Groups, string][]) {
          const result = await h.call("get_quality_breakdown", {
            by,
            users: [email],
            timePeriod: "LAST_WEEK",
            minSessions: 1,
            limit: 100,
          });
          const groups = (result.structuredContent as { groups: { name: string; sessions: number }[] }).groups;
          const counts = (list: { name: string; sessions: number }[]) =>
            Object.fromEntries(list.map((g) => [g.name, g.sessions]).sort());
          assert.deepEqual(counts(groups), counts(summary.groups[field]), `${email} by ${by}`);
          assert.match(
            textOf(result),
            new RegExp(`counted on the ${by} of the filtered users' own leg, not the other party's`),
          );
        }
        // The same leg narrows the list: the user's sessions on each of their devices add up to all of them.
        const devices = summary.groups.devices;
        for (const device of devices) {
          const list = await data<{ page: { totalElements: number } }>("get_detailed_session_list", {
            users: [email],
            devices: [device.name],
            timePeriod: "LAST_WEEK",
          });
          assert.equal(list.page.totalElements, device.sessions, `${email} on ${device.name}`);
        }
      }
    });
  });

  // Issue 20, item 10: independent reads go out together. Counted from the simulator's log
  // (a request that arrived after another was answered waited for it), never by the clock:
  // the added latency only keeps requests sent together in flight together.
  describe("round trips", () => {
    let fresh: Harness;
    before(async () => {
      fresh = await startHarness({ now: () => NOW, timeoutMs: 30_000 });
      fresh.sim.setFaults({ answerInWaves: true });
    });
    after(() => fresh.close());
    const traced = async (name: string, args: Record<string, unknown>) => {
      fresh.sim.clearRequests();
      const result = await fresh.call(name, args);
      assert.equal(result.isError, undefined, textOf(result));
      return { requests: fresh.sim.requests.length, trips: roundTrips(fresh.sim.requests), result };
    };

    it("opens a session in one round trip, and a named user's summary in two", async () => {
      const list = await traced("get_detailed_session_list", { timePeriod: "LAST_DAY", pageSize: 1 });
      const sessionId = (list.result.structuredContent as { sessions: { sessionId: string }[] }).sessions[0]!.sessionId;
      assert.deepEqual(
        await traced("get_session_details", { sessionId }).then(({ requests, trips }) => ({ requests, trips })),
        { requests: 3, trips: 1 },
      );
      // The search, then seven reads; the data's extent (the coverage read, issue 20 item 1) is the list's, from the client's cache.
      assert.deepEqual(
        await traced("get_user_summary", { user: "Ingrid Hughes", timePeriod: "LAST_WEEK" }).then(
          ({ requests, trips }) => ({ requests, trips }),
        ),
        { requests: 8, trips: 2 },
      );
    });

    it("reads the data's extent (the coverage note) beside a tool's own reads, never after them", async () => {
      // Filters of their own, so the extent is not the client's cached one: one request more, no round trip more.
      const list = await traced("get_detailed_session_list", { timePeriod: "LAST_WEEK", platforms: ["ZOOM"] });
      assert.deepEqual({ requests: list.requests, trips: list.trips }, { requests: 2, trips: 1 });
      // The breakdown that picks the groups, the whole filter's series and the extent; then the three groups' series.
      const series = await traced("get_session_histogram", {
        timePeriod: "LAST_WEEK",
        platforms: ["TEAMS"],
        by: "carrier",
        limit: 3,
      });
      assert.deepEqual({ requests: series.requests, trips: series.trips }, { requests: 6, trips: 2 });
    });

    it("checks a filter's names together, then sends every read together, the previous period's too", async () => {
      const args = {
        from: "2025-06-01T00:00:00Z",
        to: "2025-06-08T00:00:00Z",
        locations: ["Dallas", "London"],
        users: ["Ingrid Hughes"],
        compareWithPreviousPeriod: true,
      };
      const { requests, trips } = await traced("get_session_summary", args);
      // The location list and the user search, then six reads, the previous period's and its coverage.
      assert.deepEqual({ requests, trips }, { requests: 10, trips: 2 });
    });
  });
});
