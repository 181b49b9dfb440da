// What a model reads, pinned: every tool's default answer (and the drill-down cases of
// issue 10) against a fixture file, so any change to a text shows up here for review;
// UPDATE_SNAPSHOTS=1 rewrites the fixtures (issue 12). Each default answer also stays within
// the context budget of issue 13: text + structured content ≤ 1,500 tokens (the bench's tokenizer).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { allTools } from "../../lib/tools/index.ts";
import { type Harness, startHarness, textOf } from "../helpers/harness.ts";

const NOW = Date.UTC(2025, 5, 12, 10, 30);
const FIXTURES = new URL("../fixtures/answers/", import.meta.url);
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

/** What differs between runs without changing what the tool says: the simulator's port, a measured latency, a filter handle. */
const steady = (text: string) =>
  text
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    .replace(/\b\d+ ms\b/g, "N ms")
    .replace(/\bflt_[0-9a-f]+\b/g, "flt_ID");

/** Arguments where {} is not a call (configure_connection needs a field); it runs last, as it changes the session. */
const DEFAULT_ARGS: Record<string, Record<string, unknown>> = { configure_connection: { domainName: "acme" } };
const DEFAULT_ORDER = [
  ...allTools.filter((t) => t.name !== "configure_connection"),
  ...allTools.filter((t) => t.name === "configure_connection"),
];

describe("every tool's default answer: pinned text and context budget", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: () => NOW, timeoutMs: 30_000 });
  });
  after(() => h.close());

  for (const tool of DEFAULT_ORDER) {
    it(`${tool.name} with default arguments: text as pinned, text + structured within ${BUDGET} tokens`, async () => {
      const result = await h.call(tool.name, DEFAULT_ARGS[tool.name] ?? {});
      assert.equal(result.isError, undefined, textOf(result));
      const text = textOf(result);
      pinned(`${tool.name}.default`, steady(text));
      const tokens = countTokens(text) + countTokens(JSON.stringify(result.structuredContent));
      assert.ok(tokens <= BUDGET, `${tool.name}: ${tokens} tokens`);
    });
  }
});

describe("drill-down answers: pinned texts and context budget", () => {
  let h: Harness;
  let worstSession: string;
  before(async () => {
    h = await startHarness({ now: () => NOW, timeoutMs: 30_000 });
    const list = (
      await h.call("get_detailed_session_list", { timePeriod: "LAST_WEEK", orderBy: "jitter", pageSize: 1 })
    ).structuredContent as {
      sessions: { sessionId: string }[];
    };
    worstSession = list.sessions[0]!.sessionId;
  });
  after(() => h.close());

  const cases: [string, string, () => Record<string, unknown>][] = [
    ["get_session_details", "get_session_details", () => ({ sessionId: worstSession })],
    ["get_quality_breakdown", "get_quality_breakdown", () => ({ by: "networkType" })],
    [
      "get_quality_breakdown.user-week-compared",
      "get_quality_breakdown",
      () => ({ by: "user", timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true }),
    ],
    ["get_user_summary", "get_user_summary", () => ({ user: "umar.patel@acme.example" })],
    [
      "get_location_quality_summary.compared",
      "get_location_quality_summary",
      () => ({ timePeriod: "LAST_WEEK", compareWithPreviousPeriod: true }),
    ],
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
