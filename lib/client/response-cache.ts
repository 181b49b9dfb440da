// Idempotent reads of one credential: identical concurrent GETs share one upstream
// request, and answers are kept for a short TTL in an AnswerStore under the credential's
// key (the store is bounded by entries and bytes across all credentials). Answers are
// returned as parsed: callers must not mutate them.
//
// A shared request is cancelled only when every caller waiting for it has gone: one
// caller's cancellation stops its own wait, the others keep theirs.
import { cancelled } from "../errors.ts";
import type { AnswerStore } from "../store/interfaces.ts";
import { MemoryAnswerStore } from "../store/memory-answer-store.ts";
import { answerSize } from "./answer.ts";

export interface CacheOptions {
  /** How long an answer is reused, ms. 0 turns caching off (concurrent sharing stays). Default 30 000. */
  ttlMs?: number;
  /** Most answers kept when this cache has a store of its own (no shared store given). Default 100. */
  maxEntries?: number;
  /** Clock for that own store's TTLs (tests). */
  now?: () => number;
}

interface Pending {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}

export class ResponseCache {
  readonly #pending = new Map<string, Pending>();
  readonly #ttl: number;
  readonly #store: AnswerStore;
  readonly #prefix: string;

  constructor(options: CacheOptions = {}, store?: AnswerStore, prefix = "") {
    this.#ttl = options.ttlMs ?? 30_000;
    this.#store = store ?? new MemoryAnswerStore({ maxEntries: options.maxEntries ?? 100, now: options.now });
    this.#prefix = prefix;
  }

  async get<T>(key: string, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw cancelled();
    const stored = this.#ttl > 0 ? await this.#store.get(this.#prefix + key) : undefined;
    if (stored !== undefined) return stored as T;
    let pending = this.#pending.get(key);
    if (!pending) {
      const controller = new AbortController();
      const promise = load(controller.signal).then(
        async (value) => {
          this.#pending.delete(key);
          if (this.#ttl > 0)
            await this.#store.set(this.#prefix + key, value, { ttlMs: this.#ttl, sizeBytes: answerSize(value) });
          return value;
        },
        (error: unknown) => {
          this.#pending.delete(key); // failures are never cached
          throw error;
        },
      );
      promise.catch(() => {}); // a request every caller abandoned still settles: not unhandled
      pending = { promise, controller, waiters: 0 };
      this.#pending.set(key, pending);
    }
    return this.#wait(key, pending, signal) as Promise<T>;
  }

  #wait(key: string, pending: Pending, signal: AbortSignal | undefined): Promise<unknown> {
    pending.waiters += 1;
    if (!signal) return pending.promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(cancelled());
        pending.waiters -= 1;
        if (pending.waiters === 0) {
          if (this.#pending.get(key) === pending) this.#pending.delete(key);
          pending.controller.abort();
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
      pending.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }
}
