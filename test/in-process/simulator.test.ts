// The DXP simulator over real loopback HTTP: auth, paging, filters, the planted data
// stories, faults, the request log, and every answer against the client's schemas.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { z } from "zod";
import {
  API_PREFIX,
  CUSTOM_TIME_PERIOD,
  ENDPOINTS,
  type EndpointName,
  endpointPath,
  PARAMS,
} from "../../lib/client/endpoints.ts";
import * as schemas from "../../lib/client/schemas.ts";
import { createSimulator, roundTrips, type Simulator } from "../../lib/simulator/index.ts";
import { jwtClaims } from "../helpers/common.ts";
import { type Listening, listen } from "../helpers/listen.ts";

// Thursday 2025-06-12 10:30 UTC: the carrier incident falls on Monday 2025-06-09, 14:00-20:00 UTC.
const NOW = Date.UTC(2025, 5, 12, 10, 30);
const SESSIONS = 3000;
const AMERICAS = "Dallas,New York,San Francisco,Toronto,São Paulo";
const REFRESH = `/${ENDPOINTS.tokenRefresh.path}`;

type Query = Record<string, string | number>;

function apiUrl(
  base: string,
  name: Exclude<EndpointName, "tokenRefresh">,
  query: Query = {},
  path: Record<string, string> = {},
): string {
  const url = new URL(`${base}/${API_PREFIX}/${endpointPath(ENDPOINTS[name], path)}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
  return url.toString();
}

const bearer = (token: string | null): HeadersInit => (token ? { authorization: `Bearer ${token}` } : {});

async function serve(sim: Simulator): Promise<Listening> {
  return listen(sim.fetch);
}

const decodeJwtPayload = (token: string) => jwtClaims(token);

describe("DXP simulator", () => {
  let sim: Simulator;
  let http: Listening;
  let token: string;

  const call = (
    name: Exclude<EndpointName, "tokenRefresh">,
    query: Query = {},
    path: Record<string, string> = {},
    auth: string | null = token,
  ) => fetch(apiUrl(http.url, name, query, path), { headers: bearer(auth) });

  // biome-ignore lint/suspicious/noExplicitAny: raw simulator answers, read loosely unless a test names their type.
  async function json<T = any>(
    name: Exclude<EndpointName, "tokenRefresh">,
    query: Query = {},
    path: Record<string, string> = {},
  ): Promise<T> {
    const response = await call(name, query, path);
    const text = await response.text();
    assert.equal(response.status, 200, `${name}: ${text}`);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    return JSON.parse(text) as T;
  }

  async function errorOf(response: Response): Promise<{ status: number; error: string; message: string }> {
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    const body = (await response.json()) as { error: string; message: string };
    return { status: response.status, ...body };
  }

  const refresh = (refreshToken: string) =>
    fetch(`${http.url}${REFRESH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });

  before(async () => {
    sim = createSimulator({ sessionsPerTenant: SESSIONS, now: () => NOW });
    http = await serve(sim);
    token = sim.issueTokens().accessToken;
  });
  after(() => http.close());
  beforeEach(() => {
    sim.clearFaults();
    sim.clearRequests();
  });

  describe("data", () => {
    it("gives identical answers for two simulators with the same seed and clock", async () => {
      const other = createSimulator({ sessionsPerTenant: SESSIONS, now: () => NOW });
      const otherHttp = await serve(other);
      try {
        const otherToken = other.issueTokens().accessToken;
        const queries: [Exclude<EndpointName, "tokenRefresh">, Query][] = [
          ["sessions", { tenant: "globex", timePeriod: "LAST_WEEK", pageSize: 50 }],
          ["sessionSummaryByQuality", { tenant: "acme", timePeriod: "LAST_MONTH" }],
          ["histogram", { tenant: "initech", timePeriod: "LAST_WEEK", interval: "HOUR" }],
          ["endpointTestSummaries", { tenant: "acme", timePeriod: "LAST_MONTH", pageSize: 20 }],
          ["userSearch", { tenant: "globex", pageSize: 100 }],
        ];
        for (const [name, query] of queries) {
          const mine = await (await call(name, query)).text();
          const theirs = await (
            await fetch(apiUrl(otherHttp.url, name, query), { headers: bearer(otherToken) })
          ).text();
          assert.equal(theirs, mine, name);
        }
      } finally {
        await otherHttp.close();
      }
    });

    it("gives different sessions for a different seed", async () => {
      const other = createSimulator({ seed: 7, sessionsPerTenant: SESSIONS, now: () => NOW });
      const request = new Request(apiUrl("http://sim", "sessions", { tenant: "acme" }), {
        headers: bearer(other.issueTokens().accessToken),
      });
      const theirs = (await (await other.fetch(request)).json()) as { elements: { sessionId: string }[] };
      const mine = await json("sessions", { tenant: "acme" });
      assert.notDeepEqual(theirs.elements[0]!.sessionId, mine.elements[0].sessionId);
    });

    it("spreads sessions over the whole window, fewer on weekends", async () => {
      const days = await json<schemas.Histogram>("histogram", {
        tenant: "acme",
        timePeriod: "LAST_MONTH",
        interval: "DAY",
      });
      assert.equal(days.length, 31, "30 days from 10:30 span 31 calendar days");
      const summary = await json("sessionSummary", { tenant: "acme", timePeriod: "LAST_MONTH" });
      assert.equal(
        days.reduce((n, d) => n + d.sessions.all, 0),
        summary.summary.totalCount,
      );
      const volume = (weekend: boolean) => {
        const picked = days
          .slice(1, -1)
          .filter((d) => [0, 6].includes(new Date(`${d.startDate}Z`).getUTCDay()) === weekend);
        return picked.reduce((n, d) => n + d.sessions.all, 0) / picked.length;
      };
      assert.ok(volume(true) < volume(false) * 0.3, `weekend ${volume(true)} vs weekday ${volume(false)}`);
    });

    it("dates sessions in UTC without a trailing Z", async () => {
      const page = await json("sessions", { tenant: "acme", pageSize: 5 });
      for (const session of page.elements) {
        assert.match(session.startDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
        assert.match(session.endDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
        const start = Date.parse(`${session.startDate}Z`);
        assert.ok(start >= NOW - 86_400_000 && start < NOW);
        assert.equal(Date.parse(`${session.endDate}Z`) - start, session.duration * 1000);
      }
    });

    it("uses only the tenant's enabled platforms", async () => {
      const platforms = await json<schemas.TenantPlatforms>("tenantPlatforms", { tenant: "initech" });
      const enabled = platforms.filter((p) => p.enabled).map((p) => p.platform);
      assert.ok(enabled.length >= 3 && enabled.length <= 5);
      const page = await json("sessions", { tenant: "initech", timePeriod: "LAST_MONTH", pageSize: 1000 });
      assert.ok(page.elements.every((s: { platform: string }) => enabled.includes(s.platform)));
    });

    it("shows Dallas with a clearly higher HIGH_JITTER share than London", async () => {
      const share = async (location: string) => {
        const insights = await json<schemas.Insights>("sessionInsights", {
          tenant: "acme",
          timePeriod: "LAST_MONTH",
          locations: location,
        });
        return insights.find((i) => i.insight === "HIGH_JITTER")!.percent;
      };
      const dallas = await share("Dallas");
      const london = await share("london");
      assert.ok(dallas > 40, `Dallas ${dallas}%`);
      assert.ok(london < 10, `London ${london}%`);
    });

    it("shows Dallas with more CRITICAL sessions than the rest", async () => {
      const critical = async (locations: string) => {
        const summary = await json<schemas.Summary>("sessionSummaryByQuality", {
          tenant: "globex",
          timePeriod: "LAST_MONTH",
          locations,
        });
        return summary.groups.find((g) => g.group === "CRITICAL")!.percentage;
      };
      assert.ok((await critical("loc-dallas")) > 3 * (await critical('London,"Paris, La Défense",Tokyo,Sydney')));
    });

    it("shows packet loss during the carrier incident on the incident carrier's trunk only", async () => {
      const start = new Date(sim.incident.start);
      assert.equal(start.toISOString(), "2025-06-09T14:00:00.000Z");
      const window = (offsetDays: number) => ({
        tenant: "acme",
        timePeriod: CUSTOM_TIME_PERIOD,
        [PARAMS.from]: new Date(sim.incident.start - offsetDays * 86_400_000).toISOString(),
        [PARAMS.to]: new Date(sim.incident.end - offsetDays * 86_400_000).toISOString(),
        sessionScenarios: "EXTERNAL",
        locations: AMERICAS,
      });
      const northline = { ...window(0), carriers: "Northline Telecom / trunk NLT-2" };
      const during = await json<schemas.Insights>("sessionInsights", northline);
      const lossDuring = during.find((i) => i.insight === "HIGH_PACKET_LOSS")!;
      assert.ok(lossDuring.totalSessions >= 5, `${lossDuring.totalSessions} sessions in the incident`);
      assert.ok(lossDuring.percent > 90, `${lossDuring.percent}% with high loss`);
      const others = await json<schemas.Insights>("sessionInsights", {
        ...window(0),
        carriers: "Tri-State Voice / trunk TSV-1",
      });
      assert.ok(others.find((i) => i.insight === "HIGH_PACKET_LOSS")!.percent < 20, "the other carrier is fine");
      const weekBefore = await json<schemas.Insights>("sessionInsights", window(7));
      assert.ok(weekBefore.find((i) => i.insight === "HIGH_PACKET_LOSS")!.percent < 20);
      const audio = await json<schemas.QualityMetrics>("qualityByMedia", northline, { media: "audio" });
      const pstnLoss = audio
        .find((q) => q.qualityType === "PSTN")!
        .qualityMetrics.find((m) => m.name === "AVG_PACKET_LOSS_PERCENTAGE")!;
      assert.ok((pstnLoss.value ?? 0) >= 5);
      const quality = await json<schemas.Summary>("sessionSummaryByQuality", window(0));
      assert.ok(
        quality.groups.find((g) => g.group === "CRITICAL")!.percentage > 40,
        "most external calls of the window carry it",
      );
    });

    it("keeps the incident to the Americas", async () => {
      const insights = await json<schemas.Insights>("sessionInsights", {
        tenant: "acme",
        timePeriod: CUSTOM_TIME_PERIOD,
        [PARAMS.from]: new Date(sim.incident.start).toISOString(),
        [PARAMS.to]: new Date(sim.incident.end).toISOString(),
        sessionScenarios: "EXTERNAL",
        locations: 'London,Frankfurt,"Paris, La Défense",Johannesburg,Dubai,Mumbai,Singapore,Tokyo,Sydney',
      });
      assert.ok(insights.find((i) => i.insight === "HIGH_PACKET_LOSS")!.percent < 20);
    });
  });

  describe("auth", () => {
    it("answers 401 invalid_token to a request without a token", async () => {
      const error = await errorOf(await call("sessionSummary", { tenant: "acme" }, {}, null));
      assert.equal(error.status, 401);
      assert.equal(error.error, "invalid_token");
    });

    it("answers 401 invalid_token to a token it never issued", async () => {
      const forged = `${token.split(".").slice(0, 2).join(".")}.c2lnbmF0dXJl`;
      const error = await errorOf(await call("sessionSummary", { tenant: "acme" }, {}, forged));
      assert.equal(error.error, "invalid_token");
    });

    it("answers 401 token_expired once the clock passes exp", async () => {
      let clock = NOW;
      const timed = createSimulator({ sessionsPerTenant: 100, now: () => clock });
      const timedHttp = await serve(timed);
      try {
        const tokens = timed.issueTokens({ lifetimeSeconds: 60 });
        assert.equal(tokens.expiresIn, 60);
        const claims = decodeJwtPayload(tokens.accessToken);
        assert.equal(claims.exp, NOW / 1000 + 60);
        assert.deepEqual(claims.tenants, ["acme", "globex", "initech"]);
        const get = () => fetch(apiUrl(timedHttp.url, "tenants"), { headers: bearer(tokens.accessToken) });
        assert.equal((await get()).status, 200);
        clock += 61_000;
        const error = await errorOf(await get());
        assert.equal(error.status, 401);
        assert.equal(error.error, "token_expired");
      } finally {
        await timedHttp.close();
      }
    });

    it("answers 403 for a tenant the token may not see", async () => {
      const acmeOnly = sim.issueTokens({ tenants: ["acme"] }).accessToken;
      assert.equal((await call("sessionSummary", { tenant: "acme" }, {}, acmeOnly)).status, 200);
      const error = await errorOf(await call("sessionSummary", { tenant: "globex" }, {}, acmeOnly));
      assert.equal(error.status, 403);
      const unknown = await errorOf(await call("sessionSummary", { tenant: "hooli" }));
      assert.equal(unknown.status, 403);
    });

    it("answers 400 naming tenant when it is missing, except for the tenant list", async () => {
      const error = await errorOf(await call("sessionSummary"));
      assert.equal(error.status, 400);
      assert.match(error.message, /tenant/);
      const acmeOnly = sim.issueTokens({ tenants: ["acme"] }).accessToken;
      const tenants = await (await call("tenants", {}, {}, acmeOnly)).json();
      assert.deepEqual(tenants, ["acme"]);
    });

    it("refuses to issue a token for a tenant it does not have", () => {
      assert.throws(() => sim.issueTokens({ tenants: ["hooli"] }), /hooli/);
    });

    it("rotates refresh tokens: the new access token works and the old refresh token is spent", async () => {
      const first = sim.issueTokens({ tenants: ["globex"] });
      const response = await refresh(first.refreshToken);
      assert.equal(response.status, 200);
      const second = schemas.tokenRefreshSchema.parse(await response.json());
      assert.notEqual(second.accessToken, first.accessToken);
      assert.notEqual(second.refreshToken, first.refreshToken);
      assert.equal((await call("sessionSummary", { tenant: "globex" }, {}, second.accessToken)).status, 200);
      assert.equal(
        (await call("sessionSummary", { tenant: "acme" }, {}, second.accessToken)).status,
        403,
        "keeps the tenants",
      );
      const reused = await errorOf(await refresh(first.refreshToken));
      assert.equal(reused.status, 401);
      assert.equal((await refresh(second.refreshToken!)).status, 200);
    });

    it("answers 401 to an unknown refresh token and 400 to a body without one", async () => {
      assert.equal((await refresh("rt.nope")).status, 401);
      const missing = await fetch(`${http.url}${REFRESH}`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      });
      assert.equal(missing.status, 400);
    });

    it("answers 401 to every refresh while rejectRefresh is set", async () => {
      const tokens = sim.issueTokens();
      sim.setFaults({ rejectRefresh: true });
      assert.equal((await refresh(tokens.refreshToken)).status, 401);
      sim.clearFaults();
      assert.equal((await refresh(tokens.refreshToken)).status, 200, "a rejected refresh token was not spent");
    });
  });

  describe("paging, windows and filters", () => {
    it("answers the paging envelope", async () => {
      const all = await json("sessions", { tenant: "acme", timePeriod: "LAST_WEEK", pageSize: 1000 });
      const page = await json("sessions", { tenant: "acme", timePeriod: "LAST_WEEK", pageSize: 10, pageNumber: 3 });
      assert.equal(page.pageNumber, 3);
      assert.equal(page.pageSize, 10);
      assert.equal(page.totalElements, all.totalElements);
      assert.equal(page.totalPages, Math.ceil(all.totalElements / 10));
      assert.deepEqual(page.elements, all.elements.slice(20, 30));
      const beyond = await json("sessions", {
        tenant: "acme",
        timePeriod: "LAST_WEEK",
        pageNumber: page.totalPages + 1,
      });
      assert.deepEqual(beyond.elements, []);
      const defaults = await json("sessions", { tenant: "acme" });
      assert.equal(defaults.pageNumber, 1);
      assert.equal(defaults.pageSize, 25);
    });

    it("orders sessions newest first by default, and by the field asked", async () => {
      const page = await json("sessions", { tenant: "acme", pageSize: 100 });
      const starts = page.elements.map((s: { startDate: string }) => s.startDate);
      assert.deepEqual(starts, [...starts].sort().reverse());
      const byScore = await json("sessions", {
        tenant: "acme",
        pageSize: 100,
        orderByField: "nectarScore",
        orderDirection: "asc",
      });
      const scores = byScore.elements.map((s: { nectarScore: number }) => s.nectarScore);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => a - b),
      );
      const longest = await json("sessions", { tenant: "acme", pageSize: 5, orderByField: "duration" });
      assert.ok(longest.elements[0].duration >= longest.elements[4].duration);
    });

    it("bounds pageSize to 1000 and rejects bad paging values", async () => {
      assert.equal((await json("sessions", { tenant: "acme", pageSize: 1000 })).pageSize, 1000);
      for (const [param, value] of [
        ["pageSize", 1001],
        ["pageSize", 0],
        ["pageNumber", 0],
        ["pageNumber", "two"],
        ["orderByField", "color"],
        ["orderDirection", "up"],
      ] as const) {
        const error = await errorOf(await call("sessions", { tenant: "acme", [param]: value }));
        assert.equal(error.status, 400, `${param}=${value}`);
        assert.equal(error.error, "bad_request");
        assert.match(error.message, new RegExp(param));
      }
    });

    it("narrows results by platform and quality", async () => {
      const base = { tenant: "acme", timePeriod: "LAST_MONTH", pageSize: 1000 };
      const all = await json("sessions", base);
      const zoom = await json("sessions", { ...base, platforms: "ZOOM" });
      assert.ok(zoom.totalElements > 0 && zoom.totalElements < all.totalElements);
      assert.ok(zoom.elements.every((s: { platform: string }) => s.platform === "ZOOM"));
      const critical = await json("sessions", { ...base, qualities: "CRITICAL,UNKNOWN" });
      assert.ok(critical.elements.every((s: { quality: string }) => ["CRITICAL", "UNKNOWN"].includes(s.quality)));
      const byQuality = await json<schemas.Summary>("sessionSummaryByQuality", { ...base, qualities: "CRITICAL" });
      assert.deepEqual(
        byQuality.groups.filter((g) => g.count > 0).map((g) => g.group),
        ["CRITICAL"],
      );
      assert.equal(
        byQuality.summary.totalCount,
        critical.elements.filter((s: { quality: string }) => s.quality === "CRITICAL").length,
      );
    });

    it("narrows results by location, user and modality", async () => {
      const base = { tenant: "acme", timePeriod: "LAST_MONTH", pageSize: 1000 };
      const tokyo = await json("sessions", { ...base, locations: "loc-tokyo" });
      assert.ok(tokyo.totalElements > 0);
      assert.ok(tokyo.elements.every((s: { locationName: string }) => s.locationName === "Tokyo"));
      const saoPaulo = await json("sessions", { ...base, locations: "são paulo" });
      assert.ok(saoPaulo.totalElements > 0);
      const user = tokyo.elements[0];
      const mine = await json("sessions", { ...base, users: user.from });
      // Either party: the calls the user made and the calls they received.
      assert.ok(mine.elements.every((s: { from: string; to: string }) => s.from === user.from || s.to === user.from));
      assert.ok(
        mine.elements.some((s: { to: string }) => s.to === user.from),
        "received calls are included",
      );
      const byName = await json("sessions", { ...base, users: user.userName });
      assert.equal(byName.totalElements, mine.totalElements);
      const video = await json<schemas.Summary>("sessionSummary", { ...base, modalities: "VIDEO" });
      assert.equal(video.groups.find((g) => g.group === "VIDEO")!.percentage, 100);
    });

    it("rejects unknown filter values naming the parameter", async () => {
      const error = await errorOf(await call("sessions", { tenant: "acme", platforms: "TEAMS,MYSPACE" }));
      assert.equal(error.status, 400);
      assert.match(error.message, /platforms/);
      assert.match(error.message, /MYSPACE/);
    });

    it("requires both bounds with a CUSTOM window", async () => {
      const from = "2025-06-10T00:00:00Z";
      const to = "2025-06-11T00:00:00Z";
      const noTo = await errorOf(
        await call("sessionSummary", { tenant: "acme", timePeriod: CUSTOM_TIME_PERIOD, [PARAMS.from]: from }),
      );
      assert.equal(noTo.status, 400);
      assert.match(noTo.message, new RegExp(PARAMS.to));
      const noFrom = await errorOf(
        await call("sessionSummary", { tenant: "acme", timePeriod: CUSTOM_TIME_PERIOD, [PARAMS.to]: to }),
      );
      assert.match(noFrom.message, new RegExp(PARAMS.from));
      const bad = await errorOf(
        await call("sessionSummary", {
          tenant: "acme",
          timePeriod: CUSTOM_TIME_PERIOD,
          [PARAMS.from]: "yesterday",
          [PARAMS.to]: to,
        }),
      );
      assert.equal(bad.status, 400);
      assert.match(bad.message, new RegExp(PARAMS.from));
      const reversed = await errorOf(
        await call("sessionSummary", {
          tenant: "acme",
          timePeriod: CUSTOM_TIME_PERIOD,
          [PARAMS.from]: to,
          [PARAMS.to]: from,
        }),
      );
      assert.equal(reversed.status, 400);
      const withZ = await json("sessionSummary", {
        tenant: "acme",
        timePeriod: CUSTOM_TIME_PERIOD,
        [PARAMS.from]: from,
        [PARAMS.to]: to,
      });
      const noZone = await json("sessionSummary", {
        tenant: "acme",
        timePeriod: CUSTOM_TIME_PERIOD,
        [PARAMS.from]: "2025-06-10T00:00:00",
        [PARAMS.to]: "2025-06-11",
      });
      const offset = await json("sessionSummary", {
        tenant: "acme",
        timePeriod: CUSTOM_TIME_PERIOD,
        [PARAMS.from]: "2025-06-10T02:00:00+02:00",
        [PARAMS.to]: to,
      });
      assert.ok(withZ.summary.totalCount > 0);
      assert.deepEqual(noZone, withZ);
      assert.deepEqual(offset, withZ);
    });

    it("rejects an unknown timePeriod and interval", async () => {
      assert.match(
        (await errorOf(await call("sessionSummary", { tenant: "acme", timePeriod: "LAST_YEAR" }))).message,
        /timePeriod/,
      );
      assert.match(
        (await errorOf(await call("histogram", { tenant: "acme", interval: "MINUTE" }))).message,
        /interval/,
      );
    });

    it("answers one histogram bucket per hour of the window, empty ones included", async () => {
      const hours = await json<schemas.Histogram>("histogram", {
        tenant: "acme",
        timePeriod: "LAST_DAY",
        interval: "HOUR",
      });
      assert.equal(hours.length, 25);
      assert.equal(hours[0]!.startDate, "2025-06-11T10:00:00");
      assert.equal(hours.at(-1)!.endDate, "2025-06-12T11:00:00");
      assert.ok(hours.some((h) => h.sessions.all === 0 && h.sessions.avgNectarScore === null));
      const summary = await json("sessionSummary", { tenant: "acme", timePeriod: "LAST_DAY" });
      assert.equal(
        hours.reduce((n, h) => n + h.sessions.all, 0),
        summary.summary.totalCount,
      );
    });

    it("lists endpoint-client tests newest first, filtered by result and location", async () => {
      const base = { tenant: "acme", timePeriod: "LAST_MONTH" };
      const { count } = await json("endpointTestCount", base);
      assert.ok(count > 1500 && count <= 2000, `count ${count}`);
      const failing = await json("endpointTestSummaries", { ...base, results: "FAIL", pageSize: 1000 });
      assert.ok(failing.elements.every((t: { result: string }) => t.result === "FAIL"));
      const dates = failing.elements.map((t: { startDate: string }) => t.startDate);
      assert.deepEqual(dates, [...dates].sort().reverse());
      const failShare = async (locations: string) =>
        (await json("endpointTestCount", { ...base, locations, results: "FAIL" })).count /
        (await json("endpointTestCount", { ...base, locations })).count;
      assert.ok((await failShare("Dallas")) > 2 * (await failShare("London")));
    });

    it("searches users and locations", async () => {
      const all = await json("userSearch", { tenant: "acme", pageSize: 1000 });
      assert.ok(all.totalElements >= 75);
      const london = await json("userSearch", { tenant: "acme", q: "LONDON", pageSize: 1000 });
      assert.ok(
        london.totalElements > 0 && london.elements.every((u: { location: string }) => u.location === "London"),
      );
      const someone = all.elements[0];
      assert.match(someone.email, /^[a-z]+\.[a-z]+@acme\.example$/);
      assert.deepEqual(await json("user", { tenant: "acme" }, { userId: someone.userId }), someone);
      const locations = await json("locations", { tenant: "acme", pageSize: 100 });
      assert.equal(locations.totalElements, 14);
      const germany = await json("locations", { tenant: "acme", q: "germany" });
      assert.deepEqual(
        germany.elements.map((l: { id: string }) => l.id),
        ["loc-frankfurt"],
      );
    });

    it("pins the users with the most poor sessions", async () => {
      const pinned = await json("pinnedUsers", { tenant: "acme", timePeriod: "LAST_MONTH" });
      assert.equal(pinned.totalElements, 10);
      const poor = pinned.elements.map((u: { sessionPoor: number }) => u.sessionPoor);
      assert.deepEqual(
        poor,
        [...poor].sort((a, b) => b - a),
      );
      // Two planted stories fill the top: Dallas's Wi-Fi users and, at every site, the Kestrel headset's users.
      assert.ok(pinned.elements.filter((u: { location: string }) => u.location === "Dallas").length >= 2);
    });

    it("answers 404 JSON for an unknown media, session, user or path", async () => {
      assert.equal((await errorOf(await call("qualityByMedia", { tenant: "acme" }, { media: "smell" }))).status, 404);
      assert.equal((await errorOf(await call("session", { tenant: "acme" }, { id: "nope" }))).status, 404);
      assert.equal((await errorOf(await call("user", { tenant: "acme" }, { userId: "nope" }))).status, 404);
      const unknownPath = await fetch(`${http.url}/${API_PREFIX}/no/such/thing?tenant=acme`, {
        headers: bearer(token),
      });
      assert.equal((await errorOf(unknownPath)).status, 404);
    });
  });

  describe("faults", () => {
    it("sends Retry-After with a queued 429, then answers normally", async () => {
      sim.setFaults({
        failNext: [
          { kind: "status", status: 429 },
          { kind: "status", status: 429, retryAfterSeconds: 7 },
        ],
      });
      const first = await call("sessionSummary", { tenant: "acme" });
      assert.equal(first.status, 429);
      assert.equal(first.headers.get("retry-after"), "1");
      assert.equal((await errorOf(first)).error, "too_many_requests");
      const second = await call("sessionSummary", { tenant: "acme" });
      assert.equal(second.headers.get("retry-after"), "7");
      await second.body?.cancel();
      assert.equal((await call("sessionSummary", { tenant: "acme" })).status, 200);
      assert.deepEqual(sim.faults.failNext, []);
    });

    it("answers 429 without Retry-After when retryAfterSeconds is null", async () => {
      sim.setFaults({ rate429: 1, retryAfterSeconds: null });
      const response = await call("sessionSummary", { tenant: "acme" });
      assert.equal(response.status, 429);
      assert.equal(response.headers.get("retry-after"), null);
      await response.body?.cancel();
    });

    it("answers 502 with an HTML proxy page", async () => {
      sim.setFaults({ htmlErrorRate: 1 });
      const response = await call("sessionSummary", { tenant: "acme" });
      assert.equal(response.status, 502);
      assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(await response.text(), /<html>/);
      sim.setFaults({ htmlErrorRate: 0, failNext: [{ kind: "status", status: 504, body: "html" }] });
      const queued = await call("sessionSummary", { tenant: "acme" });
      assert.equal(queued.status, 504);
      assert.match(await queued.text(), /504 Gateway Timeout/);
    });

    it("answers 5xx at the configured rate and status", async () => {
      sim.setFaults({ rate5xx: 1, status5xx: 500 });
      const response = await call("sessionSummary", { tenant: "acme" });
      assert.equal((await errorOf(response)).status, 500);
    });

    it("answers 200 with a body that is not JSON when malformed or truncated", async () => {
      sim.setFaults({ failNext: [{ kind: "malformed" }, { kind: "truncated" }] });
      for (const kind of ["malformed", "truncated"]) {
        const response = await call("sessionSummary", { tenant: "acme" });
        assert.equal(response.status, 200, kind);
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        const text = await response.text();
        assert.throws(() => JSON.parse(text), SyntaxError, kind);
      }
      sim.setFaults({ malformedRate: 1 });
      assert.equal(await (await call("tenants")).text(), '{"elements": [');
    });

    it("answers valid JSON with a giant padding field when huge", async () => {
      sim.setFaults({ failNext: [{ kind: "huge", bytes: 2_000_000 }] });
      const text = await (await call("sessionSummary", { tenant: "acme" })).text();
      assert.ok(text.length > 2_000_000);
      const body = schemas.summarySchema.parse(JSON.parse(text));
      assert.equal((body as { padding?: string }).padding?.length, 2_000_000);
    });

    it("waits before answering when hanging or with latency", async () => {
      sim.setFaults({ latencyMs: 100, failNext: [{ kind: "hang", ms: 150 }] });
      const started = Date.now();
      assert.equal((await call("tenants")).status, 200);
      assert.ok(Date.now() - started >= 240);
    });

    it("holds gathered requests until all have arrived, then answers each once", async () => {
      sim.setFaults({ gather: 2 });
      let firstDone = false;
      const first = call("tenants").then((response) => ((firstDone = true), response));
      // The first is held: many turns of the event loop pass without an answer.
      for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(firstDone, false, "the first request waits for the second");
      const [a, b] = await Promise.all([first, call("tenants")]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      assert.equal(sim.faults.gather, 0, "a gathering happens once");
      assert.equal((await call("tenants")).status, 200);
    });

    it("answers requests sent together in one wave, and a request sent after an answer in the next", async () => {
      sim.setFaults({ answerInWaves: true });
      sim.clearRequests();
      await Promise.all([call("tenants"), call("tenants"), call("tenants")]);
      assert.equal(roundTrips(sim.requests), 1);
      await call("tenants");
      assert.equal(roundTrips(sim.requests), 2);
    });

    it("expires the presented token for good with expire-token", async () => {
      const victim = sim.issueTokens().accessToken;
      sim.setFaults({ failNext: [{ kind: "expire-token" }] });
      assert.equal((await errorOf(await call("tenants", {}, {}, victim))).error, "token_expired");
      assert.equal((await errorOf(await call("tenants", {}, {}, victim))).error, "token_expired");
      assert.equal((await call("tenants")).status, 200, "other tokens still work");
    });

    it("sets, shows and clears faults through the admin endpoints", async () => {
      const post = (body: unknown) => fetch(`${http.url}/_sim/faults`, { method: "POST", body: JSON.stringify(body) });
      const set = await post({ rate429: 0.5, failNext: [{ kind: "malformed" }] });
      assert.equal(set.status, 200);
      assert.equal(((await set.json()) as { rate429: number }).rate429, 0.5);
      assert.equal(sim.faults.failNext.length, 1);
      assert.equal((await post({ rate429: 2 })).status, 400);
      assert.equal((await post({ nonsense: true })).status, 400);
      const cleared = await fetch(`${http.url}/_sim/faults`, { method: "DELETE" });
      assert.equal(((await cleared.json()) as { rate429: number }).rate429, 0);
      const tokens = await fetch(`${http.url}/_sim/tokens`, {
        method: "POST",
        body: JSON.stringify({ tenants: ["initech"], lifetimeSeconds: 120 }),
      });
      const grant = (await tokens.json()) as { accessToken: string; expiresIn: number };
      assert.equal(grant.expiresIn, 120);
      assert.deepEqual(await (await call("tenants", {}, {}, grant.accessToken)).json(), ["initech"]);
      assert.equal(
        (await fetch(`${http.url}/_sim/tokens`, { method: "POST", body: '{"tenants":["hooli"]}' })).status,
        400,
      );
      assert.equal(sim.requests.filter((r) => r.path.startsWith("/_sim")).length, 0);
    });
  });

  describe("request log", () => {
    it("records path, query, tenant, token and status of /dapi and refresh requests only", async () => {
      const tokens = sim.issueTokens();
      await (
        await call("sessionSummary", { tenant: "globex", timePeriod: "LAST_WEEK" }, {}, tokens.accessToken)
      ).text();
      await (await call("sessionSummary", { tenant: "globex" }, {}, null)).text();
      await (await refresh(tokens.refreshToken)).text();
      await (await fetch(`${http.url}/_sim/requests`)).text();
      assert.deepEqual(
        sim.requests.map(({ method, path, tenant, token, status }) => ({ method, path, tenant, token, status })),
        [
          {
            method: "GET",
            path: `/${API_PREFIX}/session/summary`,
            tenant: "globex",
            token: tokens.accessToken,
            status: 200,
          },
          { method: "GET", path: `/${API_PREFIX}/session/summary`, tenant: "globex", token: null, status: 401 },
          { method: "POST", path: REFRESH, tenant: null, token: null, status: 200 },
        ],
      );
      assert.deepEqual(sim.requests[0]!.query, { tenant: "globex", timePeriod: "LAST_WEEK" });
      assert.equal(sim.requests[0]!.at, NOW);
      const overHttp = (await (await fetch(`${http.url}/_sim/requests`)).json()) as unknown[];
      assert.equal(overHttp.length, 3);
      await fetch(`${http.url}/_sim/requests`, { method: "DELETE" });
      assert.equal(sim.requests.length, 0);
    });

    it("records the status a fault sent", async () => {
      sim.setFaults({ failNext: [{ kind: "status", status: 503 }] });
      await (await call("tenants")).text();
      assert.equal(sim.requests[0]!.status, 503);
    });
  });

  describe("schemas", () => {
    it("answers every endpoint in a shape the client's schemas accept", async () => {
      const window = { tenant: "acme", timePeriod: "LAST_WEEK" };
      const someSession = (await json("sessions", { ...window, pageSize: 1 })).elements[0];
      const someUser = (await json("userSearch", { tenant: "acme", pageSize: 1 })).elements[0];
      const cases: {
        [K in Exclude<EndpointName, "tokenRefresh" | "apiDoc">]: [z.ZodType, Query, Record<string, string>?];
      } = {
        sessionSummary: [schemas.summarySchema, window],
        sessionSummaryByQuality: [schemas.summarySchema, window],
        sessionInsights: [schemas.insightsSchema, window],
        qualityByMedia: [schemas.qualityMetricsSchema, window, { media: "video" }],
        histogram: [schemas.histogramSchema, { ...window, interval: "DAY" }],
        qualityMap: [schemas.qualityMapSchema, window],
        sessions: [schemas.pagedSchema(schemas.sessionSchema), window],
        session: [schemas.sessionDetailSchema, window, { id: someSession.sessionId }],
        sessionDiagnostics: [schemas.diagnosticsSchema, { tenant: "acme" }, { id: someSession.sessionId }],
        sessionRelated: [schemas.relatedSessionsSchema, { tenant: "acme" }, { id: someSession.sessionId }],
        sessionBreakdown: [schemas.groupQualityListSchema, { ...window, groupBy: "NETWORK_TYPE" }],
        userSummaryQuantity: [schemas.userQuantitySchema, window, { userId: someUser.userId }],
        userSummaryQuality: [schemas.userQualitySchema, window, { userId: someUser.userId }],
        userSummaryServers: [schemas.groupQualityListSchema, window, { userId: someUser.userId }],
        userSummaryDevices: [schemas.groupQualityListSchema, window, { userId: someUser.userId }],
        userSummaryClientTypes: [schemas.groupQualityListSchema, window, { userId: someUser.userId }],
        userSummaryNetworkTypes: [schemas.groupQualityListSchema, window, { userId: someUser.userId }],
        userSearch: [schemas.pagedSchema(schemas.userSchema), { tenant: "acme", q: "a" }],
        user: [schemas.userSchema, { tenant: "acme" }, { userId: someUser.userId }],
        userAdvanced: [schemas.userAdvancedSchema, { tenant: "acme" }, { userId: someUser.userId }],
        datamartStatus: [schemas.datamartStatusSchema, { tenant: "acme" }],
        pinnedUsers: [schemas.pagedSchema(schemas.userSchema.partial()), window],
        locations: [schemas.pagedSchema(schemas.locationListItemSchema), { tenant: "acme" }],
        tenants: [schemas.tenantsSchema, {}],
        tenantPlatforms: [schemas.tenantPlatformsSchema, { tenant: "acme" }],
        endpointTestCount: [schemas.testCountSchema, window],
        endpointTestSummaries: [schemas.pagedSchema(schemas.endpointTestSchema), window],
      };
      for (const [name, [schema, query, path]] of Object.entries(cases) as [
        Exclude<EndpointName, "tokenRefresh" | "apiDoc">,
        [z.ZodType, Query, Record<string, string>?],
      ][]) {
        const body = await json(name, query, path);
        const parsed = schema.safeParse(body);
        assert.ok(parsed.success, `${name}: ${parsed.error?.message}`);
      }
      const { streams, ...session } = await json("session", { tenant: "acme" }, { id: someSession.sessionId });
      assert.deepEqual(session, someSession);
      assert.equal(streams.length, 2);
      const appshare = await json<schemas.QualityMetrics>("qualityByMedia", window, { media: "appshare" });
      assert.deepEqual(
        appshare.map((q) => q.qualityType),
        [null],
      );
      const audio = await json<schemas.QualityMetrics>("qualityByMedia", window, { media: "audio" });
      assert.deepEqual(
        audio.map((q) => q.qualityType),
        ["PEER2PEER", "PSTN", "CONFERENCE", "WEBINAR"],
      );
      assert.equal(audio[0]!.qualityMetrics.length, 5);
      const insights = await json<schemas.Insights>("sessionInsights", window);
      assert.equal(insights.length, 7);
    });

    it("describes itself at the root", async () => {
      const root = (await (await fetch(`${http.url}/`)).json()) as { tenants: string[] };
      assert.deepEqual(root.tenants, ["acme", "globex", "initech"]);
    });
  });
});
