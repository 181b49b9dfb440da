import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, usePinnedHarness } from "../helpers/tool-test.ts";

describe("get_session_summary", () => {
  const h = usePinnedHarness();

  it("get_session_summary combines summary, quality groups, insights and media metrics in one answer", async () => {
    h().sim.clearRequests();
    const result = await h().call("get_session_summary", { timePeriod: "LAST_WEEK" });
    const data = result.structuredContent as {
      totalSessions: number;
      quality: Record<string, number>;
      insights: Record<string, number>;
      mediaScore: { audio: number };
      window: { label: string };
    };
    assert.ok(data.totalSessions > 0);
    assert.equal(
      Object.values(data.quality).reduce((sum, n) => sum + n, 0),
      data.totalSessions,
    );
    assert.ok(data.quality.CRITICAL! > 0);
    assert.ok(Object.values(data.insights).every((n) => n > 0) && Object.keys(data.insights).length > 0);
    assert.ok(data.mediaScore.audio > 0);
    assert.equal(data.window.label, "LAST_WEEK");
    // The data's freshness (datamart status) is the tenant's, read once per client: not the summary's. The data's
    // extent (the coverage note, issue 20 item 1) is one 90-day histogram by day, reused from the client's cache.
    const coverage = (r: { path: string; query: Record<string, string> }) =>
      r.path.endsWith("/quality/nectarscore/bar/graph") && r.query.interval === "DAY";
    assert.ok(h().sim.requests.filter(coverage).length <= 1);
    const own = h().sim.requests.filter((r) => !r.path.endsWith("/datamart/status") && !coverage(r));
    const paths = own.map((r) => r.path).sort();
    assert.deepEqual(paths, [
      "/dapi/quality/session/appshare",
      "/dapi/quality/session/audio",
      "/dapi/quality/session/video",
      "/dapi/session/summary",
      "/dapi/session/summary/insights",
      "/dapi/session/summary/nectarscore",
    ]);
    assert.ok(own.every((r) => r.query.timePeriod === "LAST_WEEK" && r.tenant === "acme"));
    assert.match(textOf(result), /UTC/);
  });

  it("get_session_summary names the top three insights and says how to get the rest, which detail adds with modality and media metrics", async () => {
    const brief = await h().call("get_session_summary", { timePeriod: "LAST_WEEK" });
    const full = await h().call("get_session_summary", { timePeriod: "LAST_WEEK", detail: true });
    const briefData = brief.structuredContent as {
      insights: Record<string, number>;
      modality?: unknown;
      media?: unknown;
    };
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
    assert.ok(
      fullData.media.audio.streams > 0 && fullData.media.audio.jitterMs > 0 && fullData.media.audio.lossPct >= 0,
    );
    assert.match(textOf(full), /Modality: .*\n[\s\S]*jitter ms/);
    assert.doesNotMatch(textOf(full), /for more/);
  });

  it("keeps contact-centre labels (CUSTOMER/IVR/AGENT/ACD) apart from quality insights", async () => {
    const result = await h().call("get_session_summary", { timePeriod: "LAST_WEEK", detail: true });
    const { insights, contactCentre } = result.structuredContent as {
      insights: Record<string, number>;
      contactCentre?: Record<string, number>;
    };
    const labels = ["CUSTOMER", "IVR", "AGENT", "ACD"];
    assert.deepEqual(
      Object.keys(insights).filter((k) => labels.includes(k)),
      [],
    );
    assert.ok(
      contactCentre &&
        Object.keys(contactCentre).every((k) => labels.includes(k)) &&
        Object.keys(contactCentre).length > 0,
    );
    const insightLine = textOf(result)
      .split("\n")
      .find((l) => l.startsWith("Insights:"))!;
    assert.doesNotMatch(insightLine, /CUSTOMER|IVR|AGENT|ACD/);
    assert.match(textOf(result), /Contact centre \(labels, not quality\): .*CUSTOMER \d+/);
  });
  describe("bad input", () => {
    refusesBadInput(h, "get_session_summary", [
      [{ timePeriod: "yesterday" }, /timePeriod[\s\S]*LAST_HOUR|LAST_HOUR[\s\S]*timePeriod/],
      [{ platforms: ["MYSPACE"] }, /platforms[\s\S]*TEAMS|TEAMS[\s\S]*platforms/],
      [{ from: "2026-11-21T00:00:00Z", to: "2026-11-20T00:00:00Z" }, /from.*must be before.*to/],
      [{ from: "last tuesday" }, /from[\s\S]*RFC 3339|RFC 3339[\s\S]*from/],
      [{ timePeriod: "400d" }, /90 days/],
    ]);
  });
});
