// Bounded waits and a bounded worker pool, for tests and bench alike (bench/util.ts
// re-exports them).

/** Resolve within `ms`, or reject naming what timed out. The timer never keeps a process alive. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
      (timer as { unref?: () => void }).unref?.();
    }),
  ]);
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Run `work` over `items` with at most `limit` in flight; results in the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await work(items[index]!, index);
      }
    }),
  );
  return out;
}

/** Run `task(0)` … `task(count - 1)` with at most `width` at once. */
export const inBatches = <T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> =>
  pool(
    Array.from({ length: count }, (_, i) => i),
    width,
    (i) => task(i),
  );
