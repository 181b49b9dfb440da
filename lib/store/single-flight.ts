/** One run per key at a time: a caller arriving while `run` runs for its key gets that run's result. */
export function singleFlight<T>(running: Map<string, Promise<T>>, key: string, run: () => Promise<T>): Promise<T> {
  const existing = running.get(key);
  if (existing) return existing;
  const started = run().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}
