// Idempotent reads of one credential: identical concurrent GETs share one upstream
// request, and answers are kept for a short TTL. Lives inside a DxpClient, so it is
// never shared across credentials. Answers are returned as parsed: callers must not
// mutate them.

export interface CacheOptions {
  /** How long an answer is reused, ms. 0 turns caching off (concurrent sharing stays). Default 30 000. */
  ttlMs?: number;
  /** Most answers kept per credential; least recently stored go first. Default 100 (with up to 1,000 pooled credentials). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  value: unknown;
  expires: number;
}

export class ResponseCache {
  readonly #answers = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<unknown>>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Upstream requests saved, for status and benchmarks. */
  hits = 0;

  constructor(options: CacheOptions = {}) {
    this.#ttl = options.ttlMs ?? 30_000;
    this.#max = options.maxEntries ?? 100;
    this.#now = options.now ?? Date.now;
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#answers.get(key);
    if (cached && cached.expires > this.#now()) {
      this.hits += 1;
      return cached.value as T;
    }
    if (cached) this.#answers.delete(key);
    const pending = this.#pending.get(key);
    if (pending) {
      this.hits += 1;
      return pending as Promise<T>;
    }
    const loading = load().then(
      (value) => {
        this.#pending.delete(key);
        if (this.#ttl > 0) this.#store(key, value);
        return value;
      },
      (error: unknown) => {
        this.#pending.delete(key); // failures are never cached
        throw error;
      },
    );
    this.#pending.set(key, loading);
    return loading;
  }

  #store(key: string, value: unknown): void {
    // Expired answers sit at the front (stored earliest): drop them before adding one.
    const now = this.#now();
    for (const [old, entry] of this.#answers) {
      if (entry.expires > now) break;
      this.#answers.delete(old);
    }
    this.#answers.set(key, { value, expires: now + this.#ttl });
    if (this.#answers.size > this.#max) this.#answers.delete(this.#answers.keys().next().value!);
  }
}
