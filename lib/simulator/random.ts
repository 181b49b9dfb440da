// A small seeded PRNG (mulberry32) and the draws the dataset needs. Same seed, same
// sequence, on every runtime: nothing here touches Math.random or the clock.

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: a stable seed for one stream (e.g. seed + tenant name). */
export function hashSeed(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join("\u0000")) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export const between = (rng: Rng, min: number, max: number): number => min + rng() * (max - min);

export const intBetween = (rng: Rng, min: number, max: number): number => Math.floor(between(rng, min, max + 1));

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

export const exponential = (rng: Rng, mean: number): number => -mean * Math.log(1 - rng());

/** Precompute cumulative weights once, then draw in O(log n). */
export function weighted<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  for (const [i, [, weight]] of entries.entries()) {
    total += weight;
    cumulative[i] = total;
  }
  return (rng) => entries[searchCumulative(cumulative, rng() * total)]![0];
}

/** Index of the first cumulative weight above `target`. */
export function searchCumulative(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

const HEX_CODES = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const DASH = "-".charCodeAt(0);

/** A deterministic, uuid-looking id (version 4 layout), built flat in one go. */
export function uuid(rng: Rng): string {
  const codes: number[] = [];
  for (let word = 0; word < 4; word++) {
    let bits = Math.floor(rng() * 4294967296);
    for (let nibble = 0; nibble < 8; nibble++, bits = Math.floor(bits / 16)) {
      const i = word * 8 + nibble;
      if (i === 8 || i === 12 || i === 16 || i === 20) codes.push(DASH);
      const value = bits % 16;
      codes.push(HEX_CODES[i === 12 ? 4 : i === 16 ? (value & 0x3) | 0x8 : value]!);
    }
  }
  return String.fromCharCode(...codes);
}
