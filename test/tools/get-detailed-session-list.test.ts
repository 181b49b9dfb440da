import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refusesBadInput, textOf, useHarness } from "../helpers/tool-test.ts";

describe("get_detailed_session_list", () => {
  const h = useHarness();

  it("lists 5 sessions by default (a context budget) and says how many more exist and how to get them", async () => {
    const result = await h().call("get_detailed_session_list", { timePeriod: "LAST_WEEK" });
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
      const result = await h().call("get_detailed_session_list", { pageSize: 1 });
      const reported = (result.structuredContent as { sessions: { startDate: string }[] }).sessions[0]!.startDate;
      const asked = h().sim.requests.findLast((r) => r.path.endsWith("/session"))!;
      const upstream = await h().sim.fetch(
        new Request(`${h().url}${asked.path}?${new URLSearchParams(asked.query)}`, {
          headers: { authorization: `Bearer ${asked.token}` },
        }),
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
  describe("bad input", () => {
    refusesBadInput(h, "get_detailed_session_list", [
      [{ pageSize: 100000 }, /pageSize/],
      [{ pageNumber: "two" }, /pageNumber/],
      [{ orderBy: "loudness" }, /orderBy[\s\S]*startDate|startDate[\s\S]*orderBy/],
    ]);
  });
});
