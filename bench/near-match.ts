// The cost of "did you mean" (lib/closest.ts), in work steps and in time, for the worst
// filter issue 18 (finding 3) measured: 50 unknown 200-character names against 1,000 and
// 10,000 locations, each answering to a name and a city. Run: npx tsx bench/near-match.ts
// Prints figures; asserts nothing timed (tests assert the work, test/security-upstream.test.ts).
import { closest, editDistance, fold, nearWork, WorkBudget } from "../lib/closest.ts";

interface Place {
  name: string;
  city: string;
}
const places = (count: number): Place[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `Office ${i} ${["Dallas", "Denver", "London", "São Paulo", "Tokyo"][i % 5]}`,
    city: `City ${i}`,
  }));
const hostileNames = Array.from({ length: 50 }, (_, i) => `${"x".repeat(190)}${String(i).padStart(10, "q")}`);

/** The search as it was before issue 18: every name × every key, full edit distance. */
function unbounded(input: string, candidates: readonly Place[]): number {
  const wanted = fold(input);
  let cells = 0;
  for (const c of candidates) {
    for (const key of [c.name, c.city]) {
      const name = fold(key);
      cells += wanted.length * name.length;
      if (!(name.includes(wanted) || wanted.includes(name))) editDistance(wanted, name);
    }
  }
  return cells;
}

const ms = (start: number) => `${(performance.now() - start).toFixed(1)} ms`;
console.log(
  "near-match cost: 50 unknown 200-character names (checkNames shares one budget per call; the rows below also show one budget per name)",
);
console.log(
  "| locations | before: cells, time | now, one budget per name: steps, time | now, one budget per call: steps, time |",
);
console.log("|---|---|---|---|");
for (const count of [1000, 10_000]) {
  const candidates = places(count);
  let started = performance.now();
  let cells = 0;
  // The old search at 10,000 locations takes minutes: measure 5 names and scale.
  const sample = count > 1000 ? 5 : 50;
  for (const name of hostileNames.slice(0, sample)) cells += unbounded(name, candidates);
  const before = `${((cells * 50) / sample / 1e6).toFixed(0)} M, ${(((performance.now() - started) * 50) / sample).toFixed(0)} ms${sample < 50 ? " (from 5 names)" : ""}`;
  started = performance.now();
  let start = nearWork.total;
  for (const name of hostileNames) closest(name, candidates, (p) => [p.name, p.city]);
  const perName = `${((nearWork.total - start) / 1e6).toFixed(1)} M, ${ms(started)}`;
  started = performance.now();
  start = nearWork.total;
  const budget = new WorkBudget();
  for (const name of hostileNames) closest(name, candidates, (p) => [p.name, p.city], { budget });
  console.log(
    `| ${count} | ${before} | ${perName} | ${((nearWork.total - start) / 1e6).toFixed(2)} M, ${ms(started)} |`,
  );
}
// And that a real typo is still found in a large tenant within one budget.
const large = places(10_000);
const found = closest("Ofice 9999 Tokio", large, (p) => [p.name, p.city]).map((p) => p.name);
console.log(`"Ofice 9999 Tokio" among 10,000: ${found.join("; ")}`);
