// "Did you mean …?": names compared case-insensitively with accents folded, ranked by
// edit distance. One helper for locations, users, platforms, tenants and any other
// dimension: candidates and the names (keys) each answers to.
//
// The work is bounded by a budget, not by the input (issue 18, finding 3): names are
// compared on their first NAME_CHARS characters, pairs that cannot be near (their lengths
// differ by more than the distance allowed) are skipped, the others are tried most alike
// first (letter pairs shared) with an edit distance that stops as soon as it is too far, and
// every step counts against a WorkBudget; once it is spent the search stops with the best
// found so far. One budget may span several searches (a call checking many names).

/** Lower case without accents, so "sao paulo" finds São Paulo. */
export const fold = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();

/** Names are compared on this many characters (after folding): a longer name is no typo of a shorter one. */
export const NAME_CHARS = 64;
/** The work one search may do by default, in steps (an edit-distance cell, a folded or scanned character). */
export const NEAR_WORK_BUDGET = 2_000_000;

/** Steps every search has done, for tests and the benchmark (work is asserted, never time). */
export const nearWork = { total: 0 };

/** Steps a search (or several sharing it) may still take. */
export class WorkBudget {
  spent = 0;
  constructor(readonly limit: number = NEAR_WORK_BUDGET) {}
  get left(): number {
    return this.limit - this.spent;
  }
  /** Count `steps`; false once the budget is spent. */
  take(steps: number): boolean {
    this.spent += steps;
    nearWork.total += steps;
    return this.spent <= this.limit;
  }
}

export interface NearOptions {
  /** How many candidates to return. Default 3. */
  limit?: number;
  /** The budget to spend (shared by several searches of one call); default a fresh NEAR_WORK_BUDGET. */
  budget?: WorkBudget;
}

/** Levenshtein distance (insert, delete, substitute), two rows. */
export function editDistance(a: string, b: string): number {
  return editDistanceWithin(a, b, Math.max(a.length, b.length), new WorkBudget(Infinity));
}

/**
 * The edit distance of `a` and `b` if it is at most `max`, else Infinity: a row whose
 * smallest cell is past `max` ends the computation. Each cell is a step of `budget`.
 */
function editDistanceWithin(a: string, b: string, max: number, budget: WorkBudget): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current[j] = cell;
      if (cell < smallest) smallest = cell;
    }
    budget.take(b.length);
    if (smallest > max) return Infinity;
    previous = current;
  }
  const distance = previous[b.length]!;
  return distance <= max ? distance : Infinity;
}

/** A name as compared: folded, on its first NAME_CHARS characters (cut before folding, so a huge key costs little). */
const compared = (text: string) => fold(text.slice(0, NAME_CHARS * 2)).slice(0, NAME_CHARS);

/**
 * The candidates nearest to `input`: one that answers to the input exactly stands alone; else
 * a candidate that contains the input (or is contained in it) ranks first, then by edit distance; far-off ones (more than half the longer name
 * changed) are left out. `keys` gives the names a candidate answers to. `options` may be
 * the limit alone.
 */
export function closest<T>(
  input: string,
  candidates: readonly T[],
  keys: (c: T) => readonly string[],
  options: number | NearOptions = 3,
): T[] {
  const { limit = 3, budget = new WorkBudget() } = typeof options === "number" ? { limit: options } : options;
  const wanted = compared(input);
  if (!wanted || limit <= 0 || budget.left <= 0) return [];
  // The best distance per candidate, and the `limit` best candidates by (distance, order).
  const best = new Map<number, number>();
  const top: { index: number; distance: number }[] = [];
  const score = (index: number, distance: number) => {
    if ((best.get(index) ?? Infinity) <= distance) return;
    best.set(index, distance);
    const at = top.findIndex((t) => t.index === index);
    if (at >= 0) top.splice(at, 1);
    const before = top.findIndex((t) => t.distance > distance || (t.distance === distance && t.index > index));
    top.splice(before < 0 ? top.length : before, 0, { index, distance });
    if (top.length > limit) top.length = limit;
  };
  // A candidate that answers to the input exactly ("poor" is CRITICAL's meaning) is the answer:
  // the near spellings beside it ("good") would point the model the wrong way.
  const result = () => top.filter((t) => t.distance === 0 || top[0]!.distance > 0).map((t) => candidates[t.index]!);
  // Containment first (cheap, native), and the pairs left for the edit distance, with the
  // letter pairs (bigrams) they share with the input: the most alike are measured first.
  const pairs = new Set<string>();
  for (let i = 1; i < wanted.length; i++) pairs.add(wanted.slice(i - 1, i + 1));
  const pending: { index: number; name: string; floor: number; shared: number }[] = [];
  for (let index = 0; index < candidates.length; index++) {
    for (const key of keys(candidates[index]!)) {
      const name = compared(key);
      if (!budget.take(name.length + wanted.length + 1)) return result();
      if (!name) continue;
      if (name === wanted) score(index, 0);
      else if (name.includes(wanted) || wanted.includes(name)) score(index, 0.5);
      else {
        // The distance is at least the difference in length: past the allowed half, skip.
        const floor = Math.abs(name.length - wanted.length);
        if (floor > Math.max(name.length, wanted.length) / 2) continue;
        let shared = 0;
        for (let i = 1; i < name.length; i++) if (pairs.has(name.slice(i - 1, i + 1))) shared++;
        budget.take(name.length);
        pending.push({ index, name, floor, shared });
      }
    }
  }
  // Most alike first, so the likely matches are measured before the budget runs out.
  pending.sort((a, b) => b.shared - a.shared || a.floor - b.floor);
  for (const { index, name, floor } of pending) {
    // Once `limit` candidates are known, only one at least as near matters.
    const bar = top.length >= limit ? top[limit - 1]!.distance : Infinity;
    const max = Math.min(Math.floor(Math.max(name.length, wanted.length) / 2), bar);
    if (floor > max) continue;
    if (budget.left < Math.min(name.length, wanted.length)) break;
    const distance = editDistanceWithin(wanted, name, max, budget);
    if (Number.isFinite(distance)) score(index, distance);
    if (budget.left <= 0) break;
  }
  return result();
}

/** "did you mean Dallas?" / "did you mean A, B or C?" / "" */
export function didYouMean(names: readonly string[]): string {
  if (!names.length) return "";
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  return ` Did you mean ${list}?`;
}
