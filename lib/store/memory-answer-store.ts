// Answers of DXP reads in this process's memory, bounded by entries and by total bytes
// (each answer's JSON length, measured when it was parsed), across all credentials: an
// expired or rarely used answer is dropped whichever credential stores the next one.
import { LRUCache } from "lru-cache";
import { budgetsForHeap } from "./budgets.ts";
import { clock } from "./clock.ts";
import type { AnswerStore } from "./interfaces.ts";

export interface MemoryAnswerStoreOptions {
  /** Most answers kept. Default 10 000. */
  maxEntries?: number;
  /** Most bytes kept (estimated by JSON length). Default: budgetsForHeap().answerBytes (32 MiB at most). */
  maxBytes?: number;
  /** Clock for TTLs (tests). Default Date.now. */
  now?: () => number;
}

/** Expired answers are dropped in a sweep every this many stores (lru-cache drops them only when read). */
const SWEEP_EVERY = 256;

export class MemoryAnswerStore implements AnswerStore {
  readonly #answers: LRUCache<string, { value: unknown }>;
  #stores = 0;

  constructor(options: MemoryAnswerStoreOptions = {}) {
    this.#answers = new LRUCache({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? budgetsForHeap().answerBytes,
      ttl: 1 /* every set passes its own ttl */,
      ...clock(options.now),
    });
  }

  async get(key: string): Promise<unknown | undefined> {
    return this.#answers.get(key)?.value;
  }

  async set(key: string, value: unknown, options: { ttlMs: number; sizeBytes: number }): Promise<void> {
    // An answer larger than the whole budget is simply not kept.
    this.#answers.set(key, { value }, { ttl: options.ttlMs, size: Math.max(1, options.sizeBytes) });
    if (++this.#stores % SWEEP_EVERY === 0) this.#answers.purgeStale();
  }

  /** Entries and bytes held, for tests and status. */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#answers.size, bytes: this.#answers.calculatedSize };
  }
}
