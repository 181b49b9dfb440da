// The short report `npm run test:reliability` ends with. Named to sort after the other
// files, so that a runner taking them in order runs it last; when files run side by side,
// it waits (bounded) for every file that started and is still running.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { describe, it } from "node:test";
import { type FileResult, RESULTS_DIR, readResults, SCALE, sleep } from "./helpers.ts";

const FILES = ["faults", "hostile-input", "http-hostile", "soak", "secrets", "security"];
const WAIT_MS = 300_000;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe(`reliability report (${SCALE})`, () => {
  it("prints faults × outcomes, cases tried, calls served, leaks found and memory drift", async () => {
    const deadline = Date.now() + WAIT_MS;
    let state = readResults();
    while (
      Date.now() < deadline &&
      FILES.some((f) => state.started.has(f) && !state.results.has(f) && alive(state.started.get(f)!))
    ) {
      await sleep(500);
      state = readResults();
    }
    const { results } = state;
    const get = (f: string): FileResult | undefined => results.get(f);
    const sum = (key: "casesTried" | "callsServed" | "leaksFound") =>
      FILES.reduce((n, f) => n + (get(f)?.[key] ?? 0), 0);
    const missing = FILES.filter((f) => !results.has(f));
    const leaks = sum("leaksFound");
    const report = [
      `=== Reliability report (RELIABILITY_SCALE=${SCALE}) ===`,
      ...(get("faults")?.lines ?? ["faults × outcomes: (not run)"]),
      `cases tried: ${get("hostile-input")?.casesTried ?? 0} hostile tool-argument sets, ${get("http-hostile")?.casesTried ?? 0} hostile HTTP requests (+ raw-socket payloads)`,
      ...(get("hostile-input")?.lines ?? []),
      ...(get("http-hostile")?.lines ?? []),
      `calls served: ${sum("callsServed")} (${FILES.filter((f) => get(f)?.callsServed)
        .map((f) => `${f} ${get(f)!.callsServed}`)
        .join(", ")})`,
      ...(get("soak")?.lines ?? ["soak: (not run)"]).map((l) => `soak: ${l}`),
      `leaks found: ${leaks} (must be 0; ${FILES.filter((f) => get(f)?.leaksFound !== undefined)
        .map((f) => `${f} ${get(f)!.leaksFound}`)
        .join(", ")})`,
      ...(get("secrets")?.lines ?? []),
      ...(get("security")?.lines ?? ["security findings: (not run)"]),
      `memory drift: ${get("soak")?.memoryDrift ?? "(soak not run)"}`,
      ...(missing.length
        ? [`missing results: ${missing.join(", ")} (run the whole suite with npm run test:reliability)`]
        : []),
    ];
    console.log(`\n${report.join("\n")}`);
    rmSync(RESULTS_DIR, { recursive: true, force: true });
    assert.ok(results.size > 0, "at least one file left its figures");
  });
});
