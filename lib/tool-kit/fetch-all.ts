// A tool's upstream calls in parallel, with progress as each one lands.
import type { ToolContext } from "./define.ts";

/** Run a tool's upstream calls in parallel, reporting progress as each one lands. */
export async function fetchAll<T extends readonly unknown[]>(
  context: ToolContext,
  calls: { [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  let done = 0;
  const total = calls.length;
  return Promise.all(
    calls.map(async (call) => {
      const value = await call();
      done += 1;
      await context.progress(done, total);
      return value;
    }),
  ) as unknown as Promise<T>;
}
