// Issue 10: the drill-down tools' texts are pinned (any change to what a model reads shows
// up here for review; UPDATE_SNAPSHOTS=1 rewrites the fixtures), and each default answer
// stays within the context budget: text + structured content ≤ 1,500 tokens.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { type Harness, startHarness, textOf } from "./helpers/harness.ts";

const NOW = Date.UTC(2025, 5, 12, 10, 30);
const FIXTURES = new URL("./fixtures/drilldown/", import.meta.url);
/** Default answers (the budget); answers asked to compare two periods carry twice the figures. */
const BUDGET = 1500;
const COMPARED_BUDGET = 2500;

function pinned(name: string, text: string): void {
  const file = new URL(`${name}.txt`, FIXTURES);
  if (process.env.UPDATE_SNAPSHOTS === "1") {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(file, `${text}\n`);
    return;
  }
  assert.ok(existsSync(file), `no fixture ${file.pathname}: run with UPDATE_SNAPSHOTS=1 and review it`);
  assert.equal(text, readFileSync(file, "utf8").replace(/\n$/, ""), `${name}: the text a model reads changed`);
}

describe("drill-down answers: pinned texts and context budget", () => {
  let h: Harness;
  let worstSession: string;
  before(async () => {
    h = await startHarness({ now: () => NOW, timeoutMs: 30_000 });
    const list = (await h.call("get_detailed_session_list", { timePeriod: "LAST_WEEK", orderBy: "jitter", pageSize: 1 })).structuredContent as {
      sessions: { sessionId: string }[];
    };
    worstSession = list.sessions[0]!.sessionId;
  });
  after(() => h.close());

  const cases: [string, string, () => Record<string, unknown>][] = [
    ["get_session_details", "get_session_details", () => ({ sessionId: worstSession })],
    ["get_quality_breakdown", "get_quality_breakdown", () => ({ by: "networkType" })],
    ["get_quality_breakdown.user-week-compared", "get_quality_breakdown", () => ({ by: "user", timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true })],
    ["get_user_summary", "get_user_summary", () => ({ user: "umar.patel@acme.example" })],
    ["get_detailed_session_list", "get_detailed_session_list", () => ({})],
    ["get_location_quality_summary.compared", "get_location_quality_summary", () => ({ timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true })],
  ];

  for (const [fixture, tool, args] of cases) {
    const budget = fixture.includes("compared") ? COMPARED_BUDGET : BUDGET;
    it(`${fixture}: text as pinned, and text + structured within ${budget} tokens`, async () => {
      const result = await h.call(tool, args());
      assert.equal(result.isError, undefined, textOf(result));
      const text = textOf(result);
      pinned(fixture, text);
      const tokens = countTokens(text) + countTokens(JSON.stringify(result.structuredContent));
      assert.ok(tokens <= budget, `${fixture}: ${tokens} tokens`);
    });
  }
});
