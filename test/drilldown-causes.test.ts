// Issue 10: each planted cause found from a vague question, through a real MCP client,
// following only what the answers' text says (the text is what a model reads).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Harness, startHarness, textOf } from "./helpers/harness.ts";

// Thursday 2025-06-12 10:30 UTC: the carrier incident falls on Monday 2025-06-09 14:00–20:00 UTC,
// the client regression starts 2025-06-02.
const NOW = Date.UTC(2025, 5, 12, 10, 30);
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

describe("drill-down: from a vague question to the planted cause", () => {
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
    const byNetwork = await text("get_quality_breakdown", { by: "networkType", locations: ["Dallas"], timePeriod: "LAST_WEEK" });
    const networks = rows(byNetwork);
    assert.equal(networks[0]!.networkType, "WIFI");
    const wired = networks.find((r) => r.networkType === "WIRED")!;
    assert.ok(percent(networks[0]!["poor %"]) > 2 * percent(wired["poor %"]), byNetwork);
    assert.ok(Number(wired["jitter ms"]) < 20, "wired jitter is normal");
    assert.match(byNetwork, /Next: get_detailed_session_list with timePeriod "LAST_WEEK", qualities \["CRITICAL"\], locations \["Dallas"\], networkTypes \["WIFI"\]/);
    const details = await firstSessionOpened({ locations: ["Dallas"], networkType: "WIFI", qualities: ["CRITICAL"], timePeriod: "LAST_WEEK" });
    assert.match(details, /WIFI \(10\.1\.64\.0\/20, Dallas\)/);
    assert.match(details, /HIGH_JITTER: Jitter [\d.]+ ms on the WIFI leg/);
  });

  it("which afternoon were external calls bad, and whose fault: one carrier's trunk", async () => {
    const days = await text("get_session_histogram", { timePeriod: "LAST_WEEK", sessionScenarios: ["EXTERNAL"] });
    const worstDay = /Worst day \(of those with ≥ \d+ sessions\): (\d{4}-\d\d-\d\d)/.exec(days)?.[1];
    assert.equal(worstDay, "2025-06-09");
    const hourly = await text("get_session_histogram", { from: `${worstDay}T00:00:00Z`, to: "2025-06-10T00:00:00Z", sessionScenarios: ["EXTERNAL"] });
    const hours = rows(hourly);
    // The run of bad hours around the worst one the answer names.
    const worstHour = /Worst hour \(of those with ≥ \d+ sessions\): \d{4}-\d\d-\d\d (\d\d):00/.exec(hourly)?.[1];
    // Rows name the date once per day, then only the hour.
    let first = hours.findIndex((r) => r["start UTC"]!.slice(-5, -3) === worstHour);
    let last = first;
    const isBad = (i: number) => i >= 0 && i < hours.length && percent(hours[i]!["poor %"]) >= 30;
    while (isBad(first - 1)) first--;
    while (isBad(last + 1)) last++;
    assert.deepEqual([hours[first]!["start UTC"], hours[last]!["start UTC"]], ["14:00", "19:00"]);
    const window = { from: `${worstDay}T14:00:00Z`, to: `${worstDay}T20:00:00Z` };
    const byCarrier = await text("get_quality_breakdown", { by: "carrier", ...window });
    const carriers = rows(byCarrier);
    assert.equal(carriers[0]!.carrier, "Northline Telecom / trunk NLT-2");
    assert.ok(Number(carriers[0]!["loss %"]) > 5);
    for (const other of carriers.slice(1).filter((r) => !r.carrier!.includes("too few"))) assert.ok(percent(other["poor %"]) < 30, byCarrier);
    const details = await firstSessionOpened({ ...window, carrier: "Northline Telecom / trunk NLT-2", qualities: ["CRITICAL"] });
    assert.match(details, /PSTN via Northline Telecom \/ trunk NLT-2/);
    assert.match(details, /HIGH_PACKET_LOSS: Packet loss [\d.]+% on the PSTN leg through Northline Telecom/);
  });

  it("calls are poor at every site this month: one headset model, not the network", async () => {
    const byDevice = await text("get_quality_breakdown", { by: "device", timePeriod: "LAST_MONTH" });
    const devices = rows(byDevice);
    assert.equal(devices[0]!.device, "Kestrel K5 headset");
    assert.ok(Number(devices[0]!["jitter ms"]) < 20 && Number(devices[0]!["loss %"]) < 1.5, "its network metrics are normal");
    const sites = rows(await text("get_quality_breakdown", { by: "location", device: "Kestrel K5 headset", timePeriod: "LAST_MONTH", limit: 20 }));
    assert.equal(sites.length, 14, "every site has the headset");
    for (const site of sites) assert.ok(percent(site["poor %"]) >= 30, `${site.location} ${site["poor %"]}`);
    const details = await firstSessionOpened({ device: "Kestrel K5 headset", qualities: ["CRITICAL"], timePeriod: "LAST_MONTH" });
    assert.match(details, /DEVICE_GLITCHES: Capture device Kestrel K5 headset/);
  });

  it("quality got worse recently: one client version, from the day it rolled out", async () => {
    const summary = await text("get_session_summary", { timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true });
    const change = /poor ([\d.]+)% → ([\d.]+)% \(\+([\d.]+) pts\)/.exec(summary);
    assert.ok(change, summary);
    const byVersion = await text("get_quality_breakdown", { by: "clientVersion", timePeriod: "LAST_MONTH" });
    const versions = rows(byVersion);
    assert.equal(versions[0]!.clientVersion, "Teams 25.1.0");
    assert.equal(versions[0]!["first seen"], "2025-06-02");
    const previous = versions.find((r) => r.clientVersion === "Teams 24.9.1")!;
    assert.ok(percent(versions[0]!["poor %"]) > 3 * percent(previous["poor %"]), byVersion);
    const details = await firstSessionOpened({ clientVersion: "Teams 25.1.0", qualities: ["CRITICAL"], timePeriod: "LAST_WEEK" });
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
    assert.match(details, /^No sessionId given: the worst-scored session of the session filter's window\.\nSession [0-9a-f-]{36} .*quality CRITICAL 0;/);
    const user = await text("get_user_summary", { timePeriod: "LAST_WEEK" });
    assert.match(user, /^User .+ \(.+@acme\.example, .+\), chosen as the worst poor share of the window \(no user given\)\./);
    assert.match(await text("get_quality_breakdown", {}), /^Quality by networkType, worst poor share first/);
  });
});
