// Every tool through a real MCP client against the simulator over loopback HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { allTools } from "../lib/tools/index.ts";
import { answerSchema } from "../lib/tools/lean.ts";
import { type Harness, startHarness, textOf } from "./helpers/harness.ts";

const DATA_TOOLS: Record<string, Record<string, unknown>> = {
  get_session_summary: {},
  get_location_quality_summary: {},
  get_session_histogram: {},
  get_detailed_session_list: {},
  get_users: {},
  get_locations: {},
  get_tenant_names: {},
  get_tenant_platforms: {},
  get_endpoint_test_count: {},
  get_endpoint_test_summaries: {},
};

describe("tools against the simulator", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("lists the 17 tools with titles, annotations and output schemas", async () => {
    const { tools } = await h.client.listTools();
    assert.equal(tools.length, 17);
    for (const tool of tools) {
      assert.ok(tool.title, `${tool.name} has a title`);
      assert.ok(tool.outputSchema, `${tool.name} has an output schema`);
      assert.equal(typeof tool.annotations?.readOnlyHint, "boolean", `${tool.name} readOnlyHint`);
      assert.equal(typeof tool.annotations?.openWorldHint, "boolean", `${tool.name} openWorldHint`);
    }
  });

  for (const [name, args] of Object.entries(DATA_TOOLS)) {
    it(`${name} answers with structured content and a text rendering`, async () => {
      const result = await h.call(name, args);
      assert.equal(result.isError, undefined, textOf(result));
      assert.ok(result.structuredContent, "structured content present");
      assert.ok(textOf(result).length > 10);
      // The SDK checks the published (shallow) schema; the registry's full schema must hold too.
      const full = answerSchema(allTools.find((t) => t.name === name)!).safeParse(result.structuredContent);
      assert.ok(full.success, full.success ? "" : JSON.stringify(full.error.issues[0]));
    });
  }

  it("get_connection_status reports the source, tenant and a live check, without tokens", async () => {
    const result = await h.call("get_connection_status");
    const data = result.structuredContent as Record<string, unknown>;
    assert.equal(data.source, "environment");
    assert.equal(data.tenant, "acme");
    assert.equal(data.accessToken, "present");
    assert.equal(data.connected, true);
    assert.equal(typeof data.latencyMs, "number");
    assert.match(String(data.accessTokenExpiresAt), /^\d{4}-\d\d-\d\dT/);
    assert.ok(!JSON.stringify(result).includes(h.tokens.accessToken));
  });

  it("get_session_summary combines summary, quality groups, insights and media metrics in one answer", async () => {
    h.sim.clearRequests();
    const result = await h.call("get_session_summary", { timePeriod: "LAST_WEEK" });
    const data = result.structuredContent as {
      totalSessions: number;
      quality: Record<string, number>;
      insights: Record<string, number>;
      mediaScore: { audio: number };
      window: { label: string };
    };
    assert.ok(data.totalSessions > 0);
    assert.equal(Object.values(data.quality).reduce((sum, n) => sum + n, 0), data.totalSessions);
    assert.ok(data.quality.CRITICAL! > 0);
    assert.ok(Object.values(data.insights).every((n) => n > 0) && Object.keys(data.insights).length > 0);
    assert.ok(data.mediaScore.audio > 0);
    assert.equal(data.window.label, "LAST_WEEK");
    const paths = h.sim.requests.map((r) => r.path).sort();
    assert.deepEqual(paths, [
      "/dapi/quality/session/appshare",
      "/dapi/quality/session/audio",
      "/dapi/quality/session/video",
      "/dapi/session/summary",
      "/dapi/session/summary/insights",
      "/dapi/session/summary/nectarscore",
    ]);
    assert.ok(h.sim.requests.every((r) => r.query.timePeriod === "LAST_WEEK" && r.tenant === "acme"));
    assert.match(textOf(result), /UTC/);
  });

  it("get_session_summary names the top three insights and says how to get the rest, which detail adds with modality and media metrics", async () => {
    const brief = await h.call("get_session_summary", { timePeriod: "LAST_WEEK" });
    const full = await h.call("get_session_summary", { timePeriod: "LAST_WEEK", detail: true });
    const briefData = brief.structuredContent as { insights: Record<string, number>; modality?: unknown; media?: unknown };
    const fullData = full.structuredContent as {
      insights: Record<string, number>;
      modality: Record<string, number>;
      media: { audio: { streams: number; jitterMs: number; lossPct: number; score: number } };
    };
    // Quality insights only: the contact-centre labels are counted apart (issue 20, item 9).
    const all = Object.keys(fullData.insights);
    assert.equal(all.length, 3, "the simulator's week has the three quality insights");
    assert.deepEqual(Object.keys(briefData.insights), all.slice(0, 3));
    assert.doesNotMatch(textOf(brief), /Insights: .* more/);
    assert.match(textOf(brief), /detail:true for more, get_quality_breakdown for causes/);
    assert.equal(briefData.modality, undefined);
    assert.equal(briefData.media, undefined);
    assert.ok(Object.keys(fullData.modality).length > 0);
    assert.ok(fullData.media.audio.streams > 0 && fullData.media.audio.jitterMs > 0 && fullData.media.audio.lossPct >= 0);
    assert.match(textOf(full), /Modality: .*\n[\s\S]*jitter ms/);
    assert.doesNotMatch(textOf(full), /for more/);
  });

  it("get_location_quality_summary puts the site with Wi-Fi trouble first", async () => {
    const result = await h.call("get_location_quality_summary", { timePeriod: "LAST_MONTH" });
    const data = result.structuredContent as { locations: { name: string; poorPercent: number }[] };
    assert.equal(data.locations[0]?.name, "Dallas");
    assert.match(textOf(result), /Dallas/);
  });

  it("get_session_histogram picks hourly buckets for a day and daily ones for a month", async () => {
    const day = (await h.call("get_session_histogram", { timePeriod: "24h" })).structuredContent as { interval: string; buckets: unknown[] };
    assert.equal(day.interval, "HOUR");
    assert.ok(day.buckets.length >= 24 && day.buckets.length <= 25);
    const month = (await h.call("get_session_histogram", { timePeriod: "30d" })).structuredContent as { interval: string; buckets: unknown[] };
    assert.equal(month.interval, "DAY");
  });

  it("refuses hourly buckets over a month with an error that says what to use", async () => {
    const result = await h.call("get_session_histogram", { timePeriod: "LAST_MONTH", interval: "HOUR" });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /interval DAY/);
  });

  it("refuses a session id with a broken (unpaired surrogate) character with an error naming it, not an internal failure", async () => {
    const result = await h.call("get_session_details", { sessionId: "ab\ud800cd" });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /session id is not valid text/);
    assert.doesNotMatch(textOf(result), /inside the server/);
  });

  it("lists 5 sessions by default (a context budget) and says how many more exist and how to get them", async () => {
    const result = await h.call("get_detailed_session_list", { timePeriod: "LAST_WEEK" });
    const data = result.structuredContent as { sessions: unknown[]; page: { totalElements: number } };
    assert.equal(data.sessions.length, 5);
    assert.ok(data.page.totalElements > 5);
    assert.match(textOf(result), new RegExp(`${data.page.totalElements - 5} more: call again with pageNumber 2`));
  });

  it("reads session dates the DXP sends without a Z as UTC", async () => {
    // In a zone west of UTC a date read as local time moves by hours: the tool must report
    // the DXP's own digits. (Node applies a TZ set at run time; elsewhere this runs in the host's zone.)
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const result = await h.call("get_detailed_session_list", { pageSize: 1 });
      const reported = (result.structuredContent as { sessions: { startDate: string }[] }).sessions[0]!.startDate;
      const asked = h.sim.requests.at(-1)!;
      const upstream = await h.sim.fetch(
        new Request(`${h.url}${asked.path}?${new URLSearchParams(asked.query)}`, { headers: { authorization: `Bearer ${asked.token}` } }),
      );
      const sent = ((await upstream.json()) as { elements: { startDate: string }[] }).elements[0]!.startDate;
      assert.doesNotMatch(sent, /Z$|[+-]\d\d:?\d\d$/, "the simulator sends the DXP's zone-less dates");
      assert.equal(reported.slice(0, 19), sent.slice(0, 19), "the same wall-clock digits, read as UTC");
      assert.match(reported, /Z$/);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("finds users by name and locations by country", async () => {
    const users = (await h.call("get_users", { search: "dallas", pageSize: 5 })).structuredContent as { users: { location: string }[] };
    assert.ok(users.users.length > 0);
    assert.ok(users.users.every((u) => /dallas/i.test(JSON.stringify(u))));
    const locations = (await h.call("get_locations", { search: "Japan" })).structuredContent as { locations: { name: string }[] };
    assert.deepEqual(locations.locations.map((l) => l.name), ["Tokyo"]);
  });

  it("lists the tenants and the platforms of one", async () => {
    const tenants = (await h.call("get_tenant_names")).structuredContent as { tenants: string[]; defaultTenant: string };
    assert.ok(tenants.tenants.length >= 3);
    assert.equal(tenants.defaultTenant, "acme");
    const platforms = (await h.call("get_tenant_platforms", { tenant: "globex" })).structuredContent as { tenant: string; platforms: { enabled: boolean }[] };
    assert.equal(platforms.tenant, "globex");
    assert.ok(platforms.platforms.some((p) => p.enabled));
    assert.equal(h.sim.requests.at(-1)?.tenant, "globex");
  });

  it("counts endpoint tests by result and location, and lists them", async () => {
    const all = (await h.call("get_endpoint_test_count", { timePeriod: "LAST_WEEK" })).structuredContent as { count: number };
    const failed = (await h.call("get_endpoint_test_count", { timePeriod: "LAST_WEEK", results: ["FAIL"], locations: ["Dallas"] }))
      .structuredContent as { count: number };
    assert.ok(all.count > failed.count && failed.count > 0);
    assert.equal(h.sim.requests.at(-1)?.query.results, "FAIL");
    const list = (await h.call("get_endpoint_test_summaries", { results: ["FAIL"], timePeriod: "LAST_WEEK", pageSize: 5 }))
      .structuredContent as { tests: { result: string }[] };
    assert.ok(list.tests.length > 0 && list.tests.every((t) => t.result === "FAIL"));
  });
});

describe("session filter", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("is applied by every session tool until cleared, and each answer says so", async () => {
    const set = await h.call("set_session_filter", { timePeriod: "LAST_WEEK", platforms: ["TEAMS"], qualities: ["CRITICAL"] });
    assert.equal(set.isError, undefined, textOf(set));
    h.sim.clearRequests();
    const summary = await h.call("get_session_summary");
    assert.match(textOf(summary), /platforms TEAMS; qualities CRITICAL/);
    // The data's freshness (datamart status) is the tenant's, not the filter's.
    assert.ok(h.sim.requests.filter((r) => !r.path.endsWith("/datamart/status")).every((r) => r.query.platforms === "TEAMS" && r.query.qualities === "CRITICAL" && r.query.timePeriod === "LAST_WEEK"));
    const list = (await h.call("get_detailed_session_list", { pageSize: 10 })).structuredContent as { sessions: { quality: string }[] };
    assert.ok(list.sessions.every((s) => s.quality === "CRITICAL"));
  });

  it("takes per-call overrides without changing what is saved", async () => {
    h.sim.clearRequests();
    await h.call("get_session_summary", { platforms: ["ZOOM"], timePeriod: "24h" });
    // An empty answer adds one unfiltered day-by-day histogram (what the data covers); every other request carries the filter.
    const own = h.sim.requests.filter((r) => r.query.interval === undefined);
    assert.ok(own.length >= 6 && own.every((r) => r.query.platforms === "ZOOM" && r.query.timePeriod === "CUSTOM"));
    const shown = (await h.call("set_session_filter")).structuredContent as { action: string; filter: { platforms: string[] } };
    assert.equal(shown.action, "shown");
    assert.deepEqual(shown.filter.platforms, ["TEAMS"]);
  });

  it("can be cleared", async () => {
    const cleared = (await h.call("set_session_filter", { clear: true })).structuredContent as { action: string; filter: object };
    assert.equal(cleared.action, "cleared");
    assert.deepEqual(cleared.filter, {});
    h.sim.clearRequests();
    await h.call("get_session_summary");
    assert.ok(h.sim.requests.every((r) => r.query.platforms === undefined && r.query.timePeriod === "LAST_DAY"));
  });

  it("is echoed in structuredContent only when one applies (the text says filter: none)", async () => {
    const none = await h.call("get_session_summary");
    assert.match(textOf(none), /filter: none/);
    assert.equal("filter" in none.structuredContent!, false);
    const some = await h.call("get_session_summary", { platforms: ["ZOOM"] });
    assert.deepEqual((some.structuredContent as { filter?: unknown }).filter, { platforms: ["ZOOM"] });
  });

  it("sends relative spans and RFC 3339 bounds upstream as an absolute UTC window", async () => {
    h.sim.clearRequests();
    const result = await h.call("get_session_summary", { from: "2026-11-20T09:00:00+02:00", to: "2026-11-21T09:00:00+02:00" });
    assert.equal(result.isError, undefined, textOf(result));
    const query = h.sim.requests[0]!.query;
    assert.equal(query.timePeriod, "CUSTOM");
    assert.equal(query.startDateFrom, "2026-11-20T07:00:00Z");
    assert.equal(query.startDateTo, "2026-11-21T07:00:00Z");
    assert.match(textOf(result), /2026-11-20 07:00 → 2026-11-21 07:00 UTC/);
  });
});

describe("bad input", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["get_session_summary", { timePeriod: "yesterday" }, /timePeriod[\s\S]*LAST_HOUR|LAST_HOUR[\s\S]*timePeriod/],
    ["get_session_summary", { platforms: ["MYSPACE"] }, /platforms[\s\S]*TEAMS|TEAMS[\s\S]*platforms/],
    ["get_session_summary", { from: "2026-11-21T00:00:00Z", to: "2026-11-20T00:00:00Z" }, /from.*must be before.*to/],
    ["get_session_summary", { from: "last tuesday" }, /from[\s\S]*RFC 3339|RFC 3339[\s\S]*from/],
    ["get_session_summary", { timePeriod: "400d" }, /90 days/],
    ["get_detailed_session_list", { pageSize: 100000 }, /pageSize/],
    ["get_detailed_session_list", { pageNumber: "two" }, /pageNumber/],
    ["get_detailed_session_list", { orderBy: "loudness" }, /orderBy[\s\S]*startDate|startDate[\s\S]*orderBy/],
    ["get_location_quality_summary", { sortBy: "vibes" }, /sortBy/],
    ["get_session_histogram", { interval: "MINUTE" }, /interval[\s\S]*HOUR|HOUR[\s\S]*interval/],
    ["get_users", { search: 42 }, /search/],
    ["get_locations", { pageSize: 0 }, /pageSize/],
    ["get_tenant_platforms", { tenant: "" }, /tenant/],
    ["get_tenant_names", { surprise: true }, /surprise/],
    ["get_endpoint_test_count", { results: ["MAYBE"] }, /results[\s\S]*PASS|PASS[\s\S]*results/],
    ["get_endpoint_test_summaries", { pageSize: -1 }, /pageSize/],
    ["set_session_filter", { qualities: ["POOR"] }, /qualities[\s\S]*CRITICAL|CRITICAL[\s\S]*qualities/],
    ["set_session_filter", { locations: [""] }, /locations/],
    ["configure_connection", {}, /url, accessToken, refreshToken, domainName/],
    ["configure_connection", { url: "http://evil.example.com" }, /https/],
    ["get_connection_status", { verbose: 1 }, /verbose/],
  ];

  for (const [tool, args, expected] of cases) {
    it(`${tool} ${JSON.stringify(args)} is an isError result naming what is accepted`, async () => {
      const result = await h.call(tool, args);
      assert.equal(result.isError, true);
      assert.match(textOf(result), expected);
      assert.doesNotMatch(textOf(result), /\n\s+at /, "no stack trace");
    });
  }

  it("keeps serving after bad input", async () => {
    const result = await h.call("get_tenant_names");
    assert.equal(result.isError, undefined);
  });

  it("refuses a tenant the token may not see with a permission error", async () => {
    const tokens = h.sim.issueTokens({ tenants: ["acme"] });
    await h.call("configure_connection", { accessToken: tokens.accessToken, url: h.url });
    const result = await h.call("get_session_summary", { tenant: "globex" });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /403/);
    assert.match(textOf(result), /get_tenant_names/);
  });
});

describe("without configuration", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ environment: () => undefined });
  });
  after(() => h.close());

  for (const name of Object.keys(DATA_TOOLS)) {
    it(`${name} says how to configure`, async () => {
      const result = await h.call(name);
      assert.equal(result.isError, true);
      assert.match(textOf(result), /NECTAR_DXP_URL/);
      assert.match(textOf(result), /X-Nectar-DXP-URL/);
      assert.match(textOf(result), /configure_connection/);
      assert.equal(h.sim.requests.length, 0);
    });
  }

  it("get_connection_status answers, saying it is not connected and why", async () => {
    const result = await h.call("get_connection_status");
    assert.equal(result.isError, undefined);
    const data = result.structuredContent as { connected: boolean; source: string; problem: string };
    assert.equal(data.connected, false);
    assert.equal(data.source, "none");
    assert.match(data.problem, /configure_connection/);
  });

  it("configure_connection sets credentials for the session without echoing a token", async () => {
    const tokens = h.sim.issueTokens();
    const { accessToken, refreshToken } = tokens;
    const result = await h.call("configure_connection", { url: h.url, accessToken, refreshToken, domainName: "globex" });
    assert.equal(result.isError, undefined, textOf(result));
    assert.ok(!JSON.stringify(result).includes(tokens.accessToken));
    assert.ok(!JSON.stringify(result).includes(tokens.refreshToken));
    const status = (await h.call("get_connection_status")).structuredContent as { source: string; tenant: string; connected: boolean };
    assert.deepEqual([status.source, status.tenant, status.connected], ["configure_connection", "globex", true]);
    const summary = await h.call("get_session_summary");
    assert.equal(summary.isError, undefined);
    assert.equal(h.sim.requests.at(-1)?.tenant, "globex");
  });
});
