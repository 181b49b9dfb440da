/** lru-cache options for an injected clock (tests): read it at every use, no cached time. */
export const clock = (now: (() => number) | undefined) => (now ? { perf: { now }, ttlResolution: 0 } : {});
