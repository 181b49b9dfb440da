// "Did you mean …?": names compared case-insensitively with accents folded, ranked by
// edit distance. One helper for locations, users, platforms and tenants.

/** Lower case without accents, so "sao paulo" finds São Paulo. */
export const fold = (text: string): string => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

/** Levenshtein distance (insert, delete, substitute), two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates nearest to `input`: a candidate that contains the input (or is contained
 * in it) ranks first, then by edit distance; far-off ones (more than half the longer name
 * changed) are left out. `keys` gives the names a candidate answers to.
 */
export function closest<T>(input: string, candidates: readonly T[], keys: (c: T) => readonly string[], limit = 3): T[] {
  const wanted = fold(input);
  const scored = candidates.map((candidate) => {
    let best = Infinity;
    for (const key of keys(candidate)) {
      const name = fold(key);
      if (!name) continue;
      const distance = name.includes(wanted) || wanted.includes(name) ? 0.5 : editDistance(wanted, name);
      if (distance <= Math.max(wanted.length, name.length) / 2) best = Math.min(best, distance);
    }
    return { candidate, best };
  });
  return scored
    .filter((s) => Number.isFinite(s.best))
    .sort((a, b) => a.best - b.best)
    .slice(0, limit)
    .map((s) => s.candidate);
}

/** "did you mean Dallas?" / "did you mean A, B or C?" / "" */
export function didYouMean(names: readonly string[]): string {
  if (!names.length) return "";
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  return ` Did you mean ${list}?`;
}
