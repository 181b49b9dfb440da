// Issue 10: each planted cause found from a vague question, through a real MCP client,
// following only what the answers' text says (the text is what a model reads).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CARRIERS } from "../../lib/simulator/equipment.ts";
import { type Harness, startHarness, textOf } from "../helpers/harness.ts";

// The planted stories must hold whatever day the demo runs: every walk runs with the clock set
// to each day of one week (Monday 2025-06-09 … Sunday 2025-06-15, 10:30 UTC). What a walk
// expects (the incident's day, the rollout's date) comes from the simulator's own account of
// what it planted; what the walk follows is only the answers' text. One harness (one dataset)
// per day serves all of that day's walks.
const WEEK = Array.from({ length: 7 }, (_, i) => Date.UTC(2025, 5, 9 + i, 10, 30));
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utcText = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The rows of the first pipe table in a text, as cells by header name. */
function rows(text: string): Record<string, string>[] {
  const lines = text.split("\n");
  // Tables are "a | b" or, for long tables of numbers, "a|b".
  const start = lines.findIndex((l) => l.includes("|"));
  assert.ok(start >= 0, `a table in:\n${text}`);
  const header = lines[start]!.split(/ ?\| ?/);
  const body: Record<string, string>[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.includes("|")) break;
    const cells = line.split(/ ?\| ?/);
    body.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])));
  }
  return body;
}

const percent = (cell: string | undefined) => Number(String(cell).replace("%", ""));

/** From a histogram answer with `by`: the bad run with the most poor calls above its group's usual share, its group, start and end (UTC text). */
function worstRunOf(text: string): { group: string; from: string; to: string } {
  const legend = /^Groups: (.+)$/m.exec(text)?.[1] ?? "";
  const names = new Map(
    [...legend.matchAll(/(?:^| · )([A-J]) (.+?) \(\d+, [\d.]+% poor\)/g)].map((m) => [m[1]!, m[2]!]),
  );
  const runs = [
    ...text.matchAll(
      /([A-J]) (\d{4}-\d\d-\d\d \d\d:\d\d) → (\d{4}-\d\d-\d\d \d\d:\d\d) UTC, ([\d.]+)% poor of (\d+) \(usual (\d+)%/g,
    ),
  ];
  assert.ok(runs.length, `a bad run in:\n${text}`);
  const excess = (m: RegExpMatchArray) => Number(m[5]) * (Number(m[4]) - Number(m[6]));
  const run = runs.sort((a, b) => excess(b) - excess(a))[0]!;
  return { group: names.get(run[1]!)!, from: run[2]!, to: run[3]! };
}

/** Sessions on the trunk in the window, counted in the simulator's own data (the ground truth, not an answer). */
function countOnTrunk(h: Harness, carrier: string, start: number, end: number): number {
  return h.sim
    .dataset("acme")
    .sessions.filter(
      (s) => s.carrier >= 0 && s.startSec * 1000 >= start && s.startSec * 1000 < end && CARRIERS[s.carrier] === carrier,
    ).length;
}

for (const NOW of WEEK)
  describe(`drill-down on a ${DAY_NAMES[new Date(NOW).getUTCDay()]}: from a vague question to the planted cause`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ now: () => NOW, simulator: { sessionsPerTenant: 20_000 }, timeoutMs: 30_000 });
    });
    after(() => h.close());

    async function text(name: string, args: Record<string, unknown>): Promise<string> {
      const result = await h.call(name, args);
      const body = textOf(result);
      assert.equal(result.isError, undefined, `${name}: ${body}`);
      return body;
    }

    /** The session list's first sessionId, then that session opened. */
    async function firstSessionOpened(listArgs: Record<string, unknown>): Promise<string> {
      const list = await text("get_detailed_session_list", listArgs);
      const id = UUID.exec(list)?.[0];
      assert.ok(id, `a sessionId in:\n${list}`);
      return text("get_session_details", { sessionId: id });
    }

    it("why were calls bad in Dallas last week: its Wi-Fi, while wired calls there are fine", async () => {
      const sites = rows(await text("get_location_quality_summary", { timePeriod: "LAST_WEEK" }));
      assert.equal(sites[0]!.location, "Dallas");
      const byNetwork = await text("get_quality_breakdown", {
        by: "networkType",
        locations: ["Dallas"],
        timePeriod: "LAST_WEEK",
      });
      const networks = rows(byNetwork);
      assert.equal(networks[0]!.networkType, "WIFI");
      const wired = networks.find((r) => r.networkType === "WIRED")!;
      assert.ok(percent(networks[0]!["poor %"]) > 2 * percent(wired["poor %"]), byNetwork);
      assert.ok(Number(wired["jitter ms"]) < 20, "wired jitter is normal");
      assert.match(
        byNetwork,
        /Next: get_detailed_session_list with timePeriod "LAST_WEEK", qualities \["CRITICAL"\], locations \["Dallas"\], networkTypes \["WIFI"\]/,
      );
      const details = await firstSessionOpened({
        locations: ["Dallas"],
        networkType: "WIFI",
        qualities: ["CRITICAL"],
        timePeriod: "LAST_WEEK",
      });
      assert.match(details, /WIFI \(10\.1\.64\.0\/20, Dallas\)/);
      assert.match(details, /HIGH_JITTER: Jitter [\d.]+ ms on the WIFI leg/);
    });

    it("places the carrier incident in weekday business hours with enough calls on the trunk to see", () => {
      const { start, end, carrier } = h.sim.incident;
      assert.ok(
        ![0, 6].includes(new Date(start).getUTCDay()),
        `the incident falls on a weekday, not ${new Date(start).toUTCString()}`,
      );
      assert.ok(end <= h.sim.anchor - 2 * 86_400_000, "at least two days before the data ends");
      const calls = countOnTrunk(h, carrier, start, end);
      assert.ok(calls >= 40, `${calls} calls on ${carrier} in its window`);
    });

    it("which afternoon were external calls bad, and whose fault: one carrier's trunk, from its start to its end", async () => {
      const days = await text("get_session_histogram", { timePeriod: "LAST_WEEK", sessionScenarios: ["EXTERNAL"] });
      const worstDay = /Worst day \(of those with ≥ \d+ sessions\): (\d{4}-\d\d-\d\d)/.exec(days)?.[1];
      assert.equal(worstDay, isoDay(h.sim.incident.start));
      // The whole filter's hours blur one trunk among others; one series per carrier shows it.
      const nextDay = isoDay(Date.parse(`${worstDay}T00:00:00Z`) + 86_400_000);
      const hourly = await text("get_session_histogram", {
        from: `${worstDay}T00:00:00Z`,
        to: `${nextDay}T00:00:00Z`,
        by: "carrier",
      });
      const { group, from, to } = worstRunOf(hourly);
      assert.equal(group, "Northline Telecom / trunk NLT-2", hourly);
      assert.deepEqual([from, to], [`${worstDay} 14:00`, `${worstDay} 20:00`], hourly);
      const window = { from: `${from.replace(" ", "T")}:00Z`, to: `${to.replace(" ", "T")}:00Z` };
      const byCarrier = await text("get_quality_breakdown", { by: "carrier", ...window });
      const carriers = rows(byCarrier);
      assert.equal(carriers[0]!.carrier, "Northline Telecom / trunk NLT-2");
      assert.ok(Number(carriers[0]!["loss %"]) > 5);
      for (const other of carriers.slice(1).filter((r) => !r.carrier!.includes("too few")))
        assert.ok(percent(other["poor %"]) < 30, byCarrier);
      const details = await firstSessionOpened({
        ...window,
        carrier: "Northline Telecom / trunk NLT-2",
        qualities: ["CRITICAL"],
      });
      assert.match(details, /PSTN via Northline Telecom \/ trunk NLT-2/);
      assert.match(details, /HIGH_PACKET_LOSS: Packet loss [\d.]+% on the PSTN leg through Northline Telecom/);
    });

    it("were calls bad anywhere for a few hours this week: one site's ISP, from its start to its end", async () => {
      const bySite = await text("get_session_histogram", { timePeriod: "LAST_WEEK", interval: "HOUR", by: "location" });
      const { group, from, to } = worstRunOf(bySite);
      const planted = h.sim.planted.ispTrouble;
      assert.equal(group, planted.location, bySite);
      assert.deepEqual([from, to], [utcText(planted.start), utcText(planted.end)], bySite);
      const details = await firstSessionOpened({
        locations: [group],
        qualities: ["CRITICAL"],
        from: `${from.replace(" ", "T")}:00Z`,
        to: `${to.replace(" ", "T")}:00Z`,
      });
      assert.match(details, /HIGH_PACKET_LOSS: Packet loss [\d.]+% on the leg of /);
    });

    it("conferences in one region got slow some days ago: one media relay, since the day it started", async () => {
      const byServer = await text("get_session_histogram", {
        timePeriod: "LAST_WEEK",
        sessionTypes: ["CONFERENCE", "WEBINAR"],
        by: "server",
      });
      const { group, from, to } = worstRunOf(byServer);
      const planted = h.sim.planted.slowServer;
      assert.equal(group, planted.server, byServer);
      assert.equal(from, utcText(planted.since), byServer);
      assert.ok(Date.parse(`${to.replace(" ", "T")}:00Z`) >= NOW, `the run lasts to the end of the window: ${to}`);
      const details = await firstSessionOpened({
        server: group,
        sessionTypes: ["CONFERENCE", "WEBINAR"],
        qualities: ["CRITICAL"],
        timePeriod: "LAST_WEEK",
      });
      assert.match(details, new RegExp(`HIGH_ROUNDTRIP_DELAY: Round trip \\d+ ms via ${group}`));
    });

    it("was there a carrier incident recently: the trunk, its start and its end in one call, within its stated request bound", async () => {
      h.sim.clearRequests();
      const changes = await text("find_quality_changes", {});
      const stated = /(\d+) DXP reads \(at most (\d+);/.exec(changes);
      assert.ok(stated, changes);
      // Reads an earlier walk made may come from the answer cache: what reaches the DXP is at most what the answer counts.
      assert.ok(
        h.sim.requests.length <= Number(stated[1]) && h.sim.requests.length > 0,
        `${h.sim.requests.length} requests reached the DXP; the answer counts ${stated[1]}`,
      );
      assert.ok(Number(stated[1]) <= Number(stated[2]));
      assert.match(changes, /How: .*minimum sample.*≥ twice the usual poor share/);
      const events = rows(changes);
      const carrier = events.find((r) => r.dimension === "carrier");
      assert.ok(carrier, changes);
      assert.equal(carrier.group, "Northline Telecom / trunk NLT-2");
      assert.deepEqual(
        [carrier.kind, carrier["start UTC"], carrier["end UTC"]],
        ["spike", utcText(h.sim.incident.start), utcText(h.sim.incident.end)],
        changes,
      );
      // The site's ISP, from the same answer: New York, its four hours.
      const site = events.find((r) => r.dimension === "location" && r.group === h.sim.planted.ispTrouble.location);
      assert.ok(site, changes);
      assert.deepEqual(
        [site.kind, site["start UTC"], site["end UTC"]],
        ["spike", utcText(h.sim.planted.ispTrouble.start), utcText(h.sim.planted.ispTrouble.end)],
        changes,
      );
      // The relay's slowdown, from the same answer: a step since its day, still going.
      const server = events.find((r) => r.dimension === "server" && r.kind === "step");
      assert.equal(server?.group, h.sim.planted.slowServer.server, changes);
      const off = Math.abs(
        Date.parse(`${server["start UTC"]!.replace(" ", "T")}:00Z`) - h.sim.planted.slowServer.since,
      );
      assert.ok(off <= 6 * 3_600_000, `the step starts within 6 hours of the slowdown: ${server["start UTC"]}`);
      assert.equal(server["end UTC"], "ongoing");
    });

    it("calls are poor at every site this month: one headset model, not the network", async () => {
      const byDevice = await text("get_quality_breakdown", { by: "device", timePeriod: "LAST_MONTH" });
      const devices = rows(byDevice);
      assert.equal(devices[0]!.device, "Kestrel K5 headset");
      assert.ok(
        Number(devices[0]!["jitter ms"]) < 20 && Number(devices[0]!["loss %"]) < 1.5,
        "its network metrics are normal",
      );
      const sites = rows(
        await text("get_quality_breakdown", {
          by: "location",
          device: "Kestrel K5 headset",
          timePeriod: "LAST_MONTH",
          limit: 20,
        }),
      );
      assert.equal(sites.length, 14, "every site has the headset");
      for (const site of sites) assert.ok(percent(site["poor %"]) >= 30, `${site.location} ${site["poor %"]}`);
      const details = await firstSessionOpened({
        device: "Kestrel K5 headset",
        qualities: ["CRITICAL"],
        timePeriod: "LAST_MONTH",
      });
      assert.match(details, /DEVICE_GLITCHES: Capture device Kestrel K5 headset/);
    });

    it("quality got worse recently: one client version, from the day it rolled out", async () => {
      const summary = await text("get_session_summary", { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true });
      const change = /poor ([\d.]+)% → ([\d.]+)% \(\+([\d.]+) pts\)/.exec(summary);
      assert.ok(change, summary);
      const byVersion = await text("get_quality_breakdown", { by: "clientVersion", timePeriod: "LAST_MONTH" });
      const versions = rows(byVersion);
      assert.equal(versions[0]!.clientVersion, "Teams 25.1.0");
      assert.equal(versions[0]!["first seen"], isoDay(h.sim.planted.regressionSince));
      const previous = versions.find((r) => r.clientVersion === "Teams 24.9.1")!;
      assert.ok(percent(versions[0]!["poor %"]) > 3 * percent(previous["poor %"]), byVersion);
      const details = await firstSessionOpened({
        clientVersion: "Teams 25.1.0",
        qualities: ["CRITICAL"],
        timePeriod: "LAST_WEEK",
      });
      assert.match(details, /DESKTOP Teams 25\.1\.0/);
      assert.match(details, /CLIENT_AUDIO_ERRORS/);
    });

    it("which users have the worst calls and why: ranked with a minimum, then one user's patterns", async () => {
      const ranking = await text("get_quality_breakdown", { by: "user", timePeriod: "LAST_WEEK", limit: 5 });
      const min = Number(/ranked only with ≥ (\d+) sessions/.exec(ranking)?.[1]);
      assert.ok(min >= 5, ranking);
      const top = rows(ranking)[0]!;
      assert.ok(Number(top.sessions) >= min);
      const email = /\(([^)]+@[^)]+)\)/.exec(top.user!)?.[1];
      assert.ok(email, top.user);
      const patterns = await text("get_user_summary", { user: email, timePeriod: "LAST_WEEK" });
      assert.match(patterns, new RegExp(`chosen for "${email}"`));
      assert.match(patterns, /^Devices: .+% poor/m);
      assert.match(patterns, /^Network types: .+% poor/m);
      assert.match(patterns, /^Talks most with/m);
    });

    it("answers without arguments: the worst session opened, the worst user's patterns, the breakdown by network type", async () => {
      const details = await text("get_session_details", {});
      assert.match(
        details,
        /^No sessionId given: the worst-scored session of the session filter's window\.\nSession [0-9a-f-]{36} .*quality CRITICAL 0;/,
      );
      const user = await text("get_user_summary", { timePeriod: "LAST_WEEK" });
      assert.match(
        user,
        /^User .+ \(.+@acme\.example, .+\), chosen as the worst poor share of the window \(no user given\)\./,
      );
      assert.match(await text("get_quality_breakdown", {}), /^Quality by networkType, worst poor share first/);
    });
  });

// The hours the tour failed at on the real clock (2026-12-02 01:04 UTC, a CI run): the trunk's thin
// hourly series (3–12 calls an hour, 15–20% of them poor on an ordinary day) once gave a usual share
// of 0, so an ordinary hour after the incident (2 poor of 5) read as bad and the incident "ended" at 21:00.
// A replay at 336 hourly clocks found 16 more wrong (ends at 21:00, starts at 15:00): the incident's
// 5–15% loss left edge hours only half poor, an ordinary hour after it (4 poor of 9) read as bad, and
// a first hour of 1 call was too quiet to count. Sharper loss and likelihood-ratio edges fix all.
const REPLAYED = [Date.UTC(2026, 10, 25, 21, 30), Date.UTC(2026, 10, 25, 22, 30), Date.UTC(2026, 10, 28, 15, 30)];
for (const NOW of [
  Date.UTC(2026, 11, 2, 1, 4),
  Date.UTC(2026, 11, 2, 2, 0),
  Date.UTC(2026, 11, 3, 23, 59),
  ...REPLAYED,
]) {
  describe(`find_quality_changes at ${utcText(NOW)} UTC: the incident ends when the simulator ends it`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ now: () => NOW, simulator: { sessionsPerTenant: 20_000 }, timeoutMs: 30_000 });
    });
    after(() => h.close());

    it("names the trunk from 14:00 to 20:00, no hour late", async () => {
      const result = await h.call("find_quality_changes", {});
      const changes = textOf(result);
      const carrier = rows(changes).find((r) => r.dimension === "carrier");
      assert.ok(carrier, changes);
      assert.deepEqual(
        [carrier.group, carrier["start UTC"], carrier["end UTC"]],
        [h.sim.incident.carrier, utcText(h.sim.incident.start), utcText(h.sim.incident.end)],
        changes,
      );
      assert.match(changes, /usual share: the lowest pooled poor share of the window's three thirds/);
    });
  });
}
