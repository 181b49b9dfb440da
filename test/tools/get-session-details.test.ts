import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answers, textOf, usePinnedHarness } from "../helpers/tool-test.ts";

describe("get_session_details", () => {
  const h = usePinnedHarness();
  const { data } = answers(h);

  it("refuses a session id with a broken (unpaired surrogate) character with an error naming it, not an internal failure", async () => {
    const result = await h().call("get_session_details", { sessionId: "ab\ud800cd" });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /session id is not valid text/);
    assert.doesNotMatch(textOf(result), /inside the server/);
  });

  // Issue 20, item 9: what the diagnostics say matches the figures they describe.
  describe("diagnostics consistent with the figures", () => {
    type Details = {
      session: { startDate: string; durationSeconds: number | null; from: string | null; to: string | null };
      streams: { jitterMs: number | null; packetLossPct: number | null; roundTripMs: number | null }[];
      findings: { code: string; message: string | null }[];
      related: { startDate: string; from: string | null; to: string | null }[];
    };
    const open = async (sessionId: string) => {
      const result = await h().call("get_session_details", { sessionId });
      return { text: textOf(result), details: result.structuredContent as Details };
    };

    it("never calls the network normal on a leg with high jitter, loss or RTT", async () => {
      const list = await data<{ sessions: { sessionId: string; jitterMs: number | null }[] }>(
        "get_detailed_session_list",
        {
          // Not PSTN: there a carrier's trouble sits on the far leg, not the headset's.
          timePeriod: "LAST_WEEK",
          devices: ["Kestrel K5 headset"],
          sessionScenarios: ["EXTERNAL"],
          exclude: ["sessionScenarios"],
          orderBy: "jitter",
          pageSize: 5,
        },
      );
      const noisy = list.sessions.filter((s) => (s.jitterMs ?? 0) > 30);
      assert.ok(noisy.length >= 3, "Kestrel sessions with high jitter");
      for (const { sessionId } of noisy) {
        const { text, details } = await open(sessionId);
        assert.ok(
          details.findings.some((f) => f.code === "DEVICE_GLITCHES"),
          text,
        );
        assert.ok((details.streams[0]!.jitterMs ?? 0) > 30, text);
        assert.doesNotMatch(text, /metrics are normal/, text);
        assert.match(text, /jitter \d+ ms, loss [\d.]+%, RTT \d+ ms, MOS [\d.]+ \(high jitter/);
      }
    });

    it("lists as related only sessions of the same party that overlap in time (or follow within 2 minutes)", async () => {
      const list = await data<{ sessions: { sessionId: string }[] }>("get_detailed_session_list", {
        timePeriod: "LAST_DAY",
        pageSize: 100,
      });
      const span = (d: Details) => ({
        start: Date.parse(d.session.startDate),
        end: Date.parse(d.session.startDate) + (d.session.durationSeconds ?? 0) * 1000,
      });
      let related = 0;
      for (const { sessionId } of list.sessions) {
        const { details } = await open(sessionId);
        const one = span(details);
        const parties = new Set([details.session.from, details.session.to]);
        for (const r of details.related as ({ sessionId: string } & Details["related"][number])[]) {
          related++;
          const other = span((await open(r.sessionId)).details);
          assert.ok(
            parties.has(r.from) || parties.has(r.to),
            `${sessionId}: related ${r.from} → ${r.to} shares no party with ${[...parties].join(" → ")}`,
          );
          assert.ok(
            other.start <= one.end + 120_000 && one.start <= other.end + 120_000,
            `${sessionId} and its related ${r.sessionId} lie apart in time`,
          );
        }
      }
      assert.ok(related > 0, "some sessions have related sessions");
    });
  });
});
