// Zod schemas built on first use, not at module load (issue 13, cold start): a cold
// tools/list publishes JSON generated at build time, so it needs no tool schema, and
// building the 16 tools' schemas at import cost about 11 ms of every start.
let builds = 0;

/** `build`, memoised: called once, on the first call of the returned function. */
export function lazySchema<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    if (!built) {
      built = { value: build() };
      builds += 1;
    }
    return built.value;
  };
}

/** How many lazy schemas this process has built so far (the cold-start test reads it). */
export const lazySchemaBuilds = (): number => builds;
