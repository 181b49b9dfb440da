// The fault matrix: every DXP fault the simulator can play (plus dropped sockets, served
// by a node:http upstream in front of it) against every tool that reads the DXP, through
// a real MCP client. Each cell must answer within its time budget with data or with an
// isError result that says what happened and what to do; after the fault is cleared the
// same server answers again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Faults } from "../../lib/simulator/index.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import {
  DATA_TOOLS,
  type DataTool,
  findLeaks,
  inProcessServer,
  markStarted,
  pool,
  REFRESH_PATH,
  reportsFailures,
  SCALE,
  STACK_TRACE,
  saveResult,
  sized,
  startUpstream,
  table,
  textOf,
  type Upstream,
} from "./helpers.ts";

/**
 * The upstream budget of one call (retries included) for every cell: wide enough that a
 * fault meant to fit in it (1.5 s of latency, a 1 s Retry-After, a refresh) still fits on a
 * saturated 2-core machine. Cells assert what came back, never how long it took.
 */
const BUDGET_MS = 6000;
/** Past the budget, how long a cell waits for any result before calling it a hang. */
const SLACK_MS = 10_000;
const TIMED_OUT = new RegExp(`did not answer within ${BUDGET_MS / 1000} s`);
const MIB = 1024 * 1024;
/** How many times each fault row runs (each time against fresh credentials and a fresh server). */
const ROUNDS = sized(1, 3);

type Expect = "data" | { what: RegExp; todo: RegExp; kind: string };

interface Fault {
  name: string;
  /** Switch the fault on (the upstream is this tool's own). */
  arm(upstream: Upstream): void;
  /** "data", or what the error text must say: what happened, and what to do. */
  expect: Expect;
  /** Tools for which the fault cannot keep the answer's shape, with what they must say instead. */
  exceptions?: Partial<Record<DataTool, Expect>>;
  /** Run the tools two at a time, not all at once (the fault is heavy on CPU). */
  serial?: boolean;
  /** Extra time the budget allows (a refresh is its own upstream call). */
  extraMs?: number;
  /** Check that the fault was really played. */
  played?(upstream: Upstream, before: { requests: number; hits: Upstream["hits"] }): void;
}

const queue =
  (failNext: Faults["failNext"], extra: Partial<Faults> = {}) =>
  (u: Upstream) =>
    u.sim.setFaults({ ...extra, failNext });
const rates = (patch: Partial<Faults>) => (u: Upstream) => u.sim.setFaults(patch);
const queueConsumed = (u: Upstream) => assert.equal(u.sim.faults.failNext.length, 0, "the queued fault was played");

const FAULTS: Fault[] = [
  { name: `latency 1.5 s (budget ${BUDGET_MS / 1000} s)`, arm: rates({ latencyMs: 1500 }), expect: "data" },
  {
    name: "hang past the budget (timeout)",
    arm: queue([{ kind: "hang", ms: BUDGET_MS + 1000 }]),
    expect: { what: TIMED_OUT, todo: /try again later|shorter time window/, kind: "timeout" },
    played: queueConsumed,
  },
  {
    name: "401, then refresh",
    arm: queue([{ kind: "expire-token" }]),
    expect: "data",
    extraMs: BUDGET_MS,
    played: (u, before) => {
      queueConsumed(u);
      assert.ok(
        u.sim.requests.slice(before.requests).some((r) => r.path === REFRESH_PATH && r.status === 200),
        "a refresh happened",
      );
    },
  },
  {
    name: "401, refresh rejected",
    arm: queue([{ kind: "expire-token" }], { rejectRefresh: true }),
    expect: { what: /rejected the refresh token/, todo: /NECTAR_REFRESH_TOKEN/, kind: "auth" },
    extraMs: BUDGET_MS,
    played: queueConsumed,
  },
  {
    name: "403",
    arm: queue([{ kind: "status", status: 403 }]),
    expect: { what: /refused access .*\(403\)/, todo: /get_tenant_names|administrator/, kind: "403" },
    played: queueConsumed,
  },
  {
    name: "404",
    arm: queue([{ kind: "status", status: 404 }]),
    expect: { what: /\(404\)/, todo: /Check the id or name|list what exists/, kind: "404" },
    played: queueConsumed,
  },
  {
    name: "429, Retry-After 1 s",
    arm: queue([{ kind: "status", status: 429, retryAfterSeconds: 1 }]),
    expect: "data",
    played: queueConsumed,
  },
  {
    name: "429, Retry-After 60 s",
    arm: queue([{ kind: "status", status: 429, retryAfterSeconds: 60 }]),
    expect: { what: /rate limiting.*\(429\)/, todo: /Wait 60 s/, kind: "429" },
    played: queueConsumed,
  },
  {
    name: "429 once, no Retry-After",
    arm: queue([{ kind: "status", status: 429 }], { retryAfterSeconds: null }),
    expect: "data",
    played: queueConsumed,
  },
  {
    name: "429 storm, no Retry-After",
    arm: rates({ rate429: 1, retryAfterSeconds: null }),
    expect: { what: /rate limiting.*\(429\) after 2 retries/, todo: /Wait a little and try again/, kind: "429" },
  },
  ...([500, 502, 503] as const).flatMap((status): Fault[] => [
    {
      name: `${status} ×2, then OK`,
      arm: queue([
        { kind: "status", status },
        { kind: "status", status },
      ]),
      expect: "data",
      played: queueConsumed,
    },
    {
      name: `${status} storm`,
      arm: rates({ rate5xx: 1, status5xx: status }),
      expect: { what: new RegExp(`answered ${status}.* after 2 retries`), todo: /try again in a minute/, kind: "5xx" },
    },
  ]),
  {
    name: "connection reset once",
    arm: (u) => (u.reset = 1),
    expect: "data",
    played: (u, before) => assert.equal(u.hits.reset - before.hits.reset, 1, "one socket was dropped"),
  },
  {
    name: "connection reset storm",
    arm: (u) => (u.reset = "all"),
    expect: { what: /Could not reach the DXP/, todo: /Check NECTAR_DXP_URL/, kind: "network" },
    played: (u, before) => assert.ok(u.hits.reset - before.hits.reset >= 3, "sockets were dropped on every attempt"),
  },
  {
    name: "connection drops mid-body once",
    arm: (u) => (u.dropMidBody = 1),
    expect: "data",
    played: (u, before) => assert.equal(u.hits.dropMidBody - before.hits.dropMidBody, 1, "one answer was cut"),
  },
  {
    name: "connection drops mid-body storm",
    arm: (u) => (u.dropMidBody = "all"),
    expect: {
      what: /Could not reach the DXP|cut off|connection/,
      todo: /try again|Check NECTAR_DXP_URL/i,
      kind: "network",
    },
    played: (u, before) => assert.ok(u.hits.dropMidBody - before.hits.dropMidBody >= 1, "answers were cut"),
  },
  {
    name: "body stalls after headers",
    arm: (u) => (u.stallBody = "all"),
    expect: { what: TIMED_OUT, todo: /try again later|shorter time window/, kind: "timeout" },
    played: (u, before) => assert.ok(u.hits.stallBody - before.hits.stallBody >= 1, "an answer stalled"),
  },
  {
    name: "malformed JSON",
    arm: queue([{ kind: "malformed" }]),
    expect: { what: /not valid JSON/, todo: /Try again/, kind: "bad JSON" },
    played: queueConsumed,
  },
  {
    name: "HTML 502 page once",
    arm: queue([{ kind: "status", status: 502, body: "html" }]),
    expect: "data",
    played: queueConsumed,
  },
  {
    name: "HTML 502 page storm",
    arm: rates({ htmlErrorRate: 1 }),
    expect: { what: /HTML error page/, todo: /try again in a minute/, kind: "HTML" },
  },
  {
    name: "HTML page with 200 (login)",
    arm: queue([{ kind: "status", status: 200, body: "html" }]),
    expect: { what: /HTML page instead of JSON/, todo: /NECTAR_DXP_URL/, kind: "HTML" },
    played: queueConsumed,
  },
  {
    name: "truncated body",
    arm: queue([{ kind: "truncated" }]),
    expect: { what: /not valid JSON \(cut off/, todo: /Try again/, kind: "bad JSON" },
    played: queueConsumed,
  },
  {
    name: "large body 2 MiB",
    arm: queue([{ kind: "huge", bytes: 2 * MIB }]),
    expect: "data",
    // The simulator pads a bare list of strings by wrapping it in an object, which changes its
    // shape: the tenant list's (get_connection_status's live check reads it too).
    exceptions: {
      get_tenant_names: { what: /unexpected shape/, todo: /report it/, kind: "shape" },
      get_connection_status: { what: /unexpected shape/, todo: /report it/, kind: "shape" },
    },
    serial: true,
    played: queueConsumed,
  },
  {
    name: "huge body 11 MiB",
    arm: queue([{ kind: "huge", bytes: 11 * MIB }]),
    expect: { what: /larger than 10 MiB/, todo: /smaller page|shorter time window/, kind: "too large" },
    exceptions: {
      get_tenant_names: {
        what: /larger than 10 MiB|unexpected shape/,
        todo: /smaller page|report it/,
        kind: "too large",
      },
      get_connection_status: {
        what: /larger than 10 MiB|unexpected shape/,
        todo: /smaller page|report it/,
        kind: "too large",
      },
    },
    serial: true,
    played: queueConsumed,
  },
];

/** What a cell's answer was, in a word. */
function outcome(result: CallToolResult, tool: DataTool): string {
  const reported =
    reportsFailures(tool) && !result.isError
      ? (result.structuredContent as { problem?: string | null }).problem
      : undefined;
  if (!result.isError && !reported) return "ok";
  const text = reported ?? textOf(result);
  const kinds: [RegExp, string][] = [
    [/did not answer within/, "timeout"],
    [/refresh token/, "auth"],
    [/\(401\)/, "auth"],
    [/\(403\)/, "403"],
    [/\(404\)/, "404"],
    [/\(429\)/, "429"],
    [/answered 5\d\d/, "5xx"],
    [/Could not reach/, "network"],
    [/not valid JSON/, "bad JSON"],
    [/HTML/, "HTML"],
    [/larger than/, "too large"],
    [/unexpected shape/, "shape"],
    [/failed unexpectedly/, "internal"],
  ];
  return kinds.find(([re]) => re.test(text))?.[1] ?? "error";
}

interface Cell {
  fault: string;
  tool: DataTool;
  outcome: string;
  ms: number;
  recovered: boolean;
  problems: string[];
}

/** A column heading: the name without get_, each word cut to four letters ("sessSummary" → "sessSumm"). */
const short = (tool: string) =>
  tool
    .replace(/^get_/, "")
    .split("_")
    .map((word, i) => (i ? word[0]!.toUpperCase() + word.slice(1, 4) : word.slice(0, 4)))
    .join("");

describe(`fault matrix (${SCALE}: ${FAULTS.length} faults × ${DATA_TOOLS.length} tools × ${ROUNDS} round(s))`, () => {
  /** One simulator and upstream per tool, so each tool's queued faults are its own and rows run the tools in parallel. */
  const upstreams = new Map<DataTool, Upstream>();
  const cells: Cell[] = [];
  const texts: [string, string][] = [];

  before(async () => {
    markStarted("faults");
    for (const tool of DATA_TOOLS)
      upstreams.set(tool, await startUpstream(createSimulator({ sessionsPerTenant: 200, days: 30 })));
    // Warm up: each simulator builds its dataset on first use, and the code paths get compiled.
    await Promise.all(
      DATA_TOOLS.map(async (tool) => {
        const upstream = upstreams.get(tool)!;
        const server = await inProcessServer({
          environment: { url: upstream.url, ...upstream.sim.issueTokens(), tenant: "acme" },
        });
        const result = await server.call(tool, {});
        assert.equal(result.isError, undefined, textOf(result));
        await server.close();
      }),
    );
  });

  after(async () => {
    for (const u of upstreams.values()) await u.close();
    const tokens = new Set<string>();
    for (const u of upstreams.values()) {
      for (const r of u.sim.requests) if (r.token) tokens.add(r.token);
      for (const t of u.rotated) tokens.add(t);
    }
    const leaks = findLeaks(tokens, texts);
    const rows = FAULTS.map((f) => {
      const row = cells.filter((c) => c.fault === f.name);
      const kinds = DATA_TOOLS.map((tool) => {
        const mine = row.filter((c) => c.tool === tool);
        const seen = [...new Set(mine.map((c) => c.outcome))];
        return seen.join("/") + (mine.some((c) => c.problems.length) ? "!" : "");
      });
      const slowest = Math.max(0, ...row.map((c) => c.ms));
      return [f.name, ...kinds, `${slowest}`, row.every((c) => c.recovered) ? "yes" : "NO"];
    });
    const matrix = table(["fault \\ tool", ...DATA_TOOLS.map(short), "max ms", "recovered"], rows);
    console.log(
      `\nFault matrix (budget ${BUDGET_MS} ms per upstream call, ${ROUNDS} round(s); "!" marks a cell with a problem)\n${matrix}`,
    );
    const failing = cells.filter((c) => c.problems.length);
    for (const c of failing) console.log(`  ${c.fault} × ${c.tool}: ${c.problems.join("; ")}`);
    const summary = new Map<string, number>();
    for (const c of cells) summary.set(c.outcome, (summary.get(c.outcome) ?? 0) + 1);
    const outcomes = [...summary].map(([k, n]) => `${k} ${n}`).join(", ");
    console.log(
      `cells: ${cells.length} (${outcomes}); recovered after clearing: ${cells.filter((c) => c.recovered).length}/${cells.length}; token leaks: ${leaks.length}`,
    );
    // Faults grouped by what the tools answered, for the short report.
    const groups = new Map<string, string[]>();
    for (const r of rows) {
      const key = [...new Set(r.slice(1, 1 + DATA_TOOLS.length))].join("/");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(r[0]!);
    }
    saveResult({
      file: "faults",
      lines: [
        `faults × outcomes: ${FAULTS.length} faults × ${DATA_TOOLS.length} tools × ${ROUNDS} = ${cells.length} cells (${outcomes}); as expected ${cells.length - failing.length}/${cells.length}; served again after clearing ${cells.filter((c) => c.recovered).length}/${cells.length}`,
        ...[...groups].map(([kind, names]) => `  ${kind.padEnd(12)} ${names.join(" · ")}`),
      ],
      callsServed: cells.length * 2,
      leaksFound: leaks.length,
      tokensChecked: tokens.size,
      bytesScanned: texts.reduce((n, [, t]) => n + t.length, 0),
    });
  });

  for (const fault of FAULTS) {
    it(`${fault.name}: every data tool answers in time with ${fault.expect === "data" ? "data" : `an error saying "${fault.expect.kind}" and what to do`}, and serves again once cleared`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const row: Cell[] = [];
        row.push(
          ...(await pool(DATA_TOOLS, fault.serial ? 2 : DATA_TOOLS.length, (tool) =>
            runCell(fault, tool, upstreams.get(tool)!),
          )),
        );
        cells.push(...row);
        const problems = row.filter((c) => c.problems.length).map((c) => `${c.tool}: ${c.problems.join("; ")}`);
        assert.deepEqual(problems, [], problems.join("\n"));
      }
    });
  }

  async function runCell(fault: Fault, tool: DataTool, upstream: Upstream): Promise<Cell> {
    const { sim } = upstream;
    const expect = fault.exceptions?.[tool] ?? fault.expect;
    const limit = BUDGET_MS + (fault.extraMs ?? 0) + SLACK_MS;
    sim.clearFaults();
    upstream.clear();
    // Fresh credentials and a fresh server (and client pool, and cache) for every cell.
    const tokens = sim.issueTokens();
    const server = await inProcessServer({
      environment: { url: upstream.url, ...tokens, tenant: "acme" },
      timeoutMs: BUDGET_MS,
      retryDelayMs: 50,
      // Every call goes to the DXP (the follow-up too): no answers reused from the cache.
      pool: { cache: { ttlMs: 0 } },
    });
    const problems: string[] = [];
    const mark = { requests: sim.requests.length, hits: { ...upstream.hits } };
    fault.arm(upstream);
    const started = Date.now(); // for the printed matrix only: no cell fails on time
    let result: CallToolResult | undefined;
    try {
      // Wait well past the budget, not forever: a hang is what this would catch.
      result = await server.call(tool, {}, limit);
    } catch (error) {
      problems.push(`no result within ${limit} ms: ${(error as Error).message}`);
    }
    const ms = Date.now() - started;
    let kind = "hang";
    if (result) {
      kind = outcome(result, tool);
      const text = textOf(result);
      texts.push([`${fault.name} × ${tool}`, JSON.stringify(result)]);
      if (STACK_TRACE.test(text)) problems.push(`stack trace in "${text}"`);
      const status = result.structuredContent as { connected?: boolean; problem?: string | null } | undefined;
      if (expect === "data") {
        if (result.isError) problems.push(`expected data, got "${text}"`);
        else if (!result.structuredContent) problems.push("no structured content");
        else if (reportsFailures(tool) && status?.connected !== true)
          problems.push(`expected connected, got "${text}"`);
      } else if (reportsFailures(tool)) {
        if (result.isError) problems.push(`expected an answer reporting the fault, got the error "${text}"`);
        else if (status?.connected !== false) problems.push(`expected connected false, got "${text}"`);
        else {
          if (!expect.what.test(status.problem ?? ""))
            problems.push(`"${status.problem}" does not say what happened (${expect.what})`);
          if (!expect.todo.test(status.problem ?? ""))
            problems.push(`"${status.problem}" does not say what to do (${expect.todo})`);
        }
      } else {
        if (!result.isError) problems.push("expected an isError result, got data");
        else {
          if (!expect.what.test(text)) problems.push(`"${text}" does not say what happened (${expect.what})`);
          if (!expect.todo.test(text)) problems.push(`"${text}" does not say what to do (${expect.todo})`);
          if (!text.startsWith(`${tool}`)) problems.push(`"${text}" does not name the tool`);
        }
      }
      try {
        fault.played?.(upstream, mark);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    // Clear the fault: the same server must answer again. When a tool failed, the other
    // upstream calls it had made in parallel may still be retrying: let them end first.
    sim.clearFaults();
    upstream.clear();
    if (!result || result.isError) await upstream.quiet(150);
    let recovered = false;
    try {
      const again = await server.call(tool, {}, limit + 1000);
      texts.push([`${fault.name} × ${tool} (after)`, JSON.stringify(again)]);
      recovered =
        !again.isError &&
        !!again.structuredContent &&
        (!reportsFailures(tool) || (again.structuredContent as { connected?: boolean }).connected === true);
      if (!recovered) problems.push(`after clearing: "${textOf(again)}"`);
    } catch (error) {
      problems.push(`after clearing, no result: ${(error as Error).message}`);
    }
    await server.close();
    return { fault: fault.name, tool, outcome: kind, ms, recovered, problems };
  }
});
