// Bounds on the work callers can make this server do upstream: at most `global` DXP
// requests at once in the whole process and at most `perCaller` for one caller (one
// credential key; the operator's own credential, shared by every caller without
// credentials of their own, counts only against the global bound), each with a bounded queue. Past the queue a call fails at once with a
// "busy, retry" error instead of piling up memory and sockets. A waiter whose caller
// gives up (its signal aborts) leaves the queue.
import { cancelled, RateLimitedError } from "../errors.ts";

export interface LimiterOptions {
  /** Concurrent upstream requests in the process. Default 64. */
  global?: number;
  /** Concurrent upstream requests per caller. Default 16. */
  perCaller?: number;
  /** Requests waiting for a slot, per caller. Default 64. */
  queuePerCaller?: number;
  /** Requests waiting for a slot in the process. Default 512. */
  queueGlobal?: number;
}

class Semaphore {
  active = 0;
  readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

export type Release = () => void;

export const busy = () =>
  new RateLimitedError(
    "This server is busy with other requests to the DXP.",
    "Retry in a moment; if it keeps happening, ask for fewer things at once (smaller batches, fewer parallel calls).",
    1,
  );

export class UpstreamLimiter {
  readonly #global: Semaphore;
  readonly #callers = new Map<string, Semaphore>();
  readonly #perCaller: number;
  readonly #queuePerCaller: number;
  readonly #queueGlobal: number;
  /** Most requests ever in flight at once (tests and status read it). */
  peak = 0;

  constructor(options: LimiterOptions = {}) {
    this.#global = new Semaphore(options.global ?? 64);
    this.#perCaller = options.perCaller ?? 16;
    this.#queuePerCaller = options.queuePerCaller ?? 64;
    this.#queueGlobal = options.queueGlobal ?? 512;
  }

  get active(): number {
    return this.#global.active;
  }

  /** A slot for one upstream request by `caller` (undefined: global bound only); call the returned function when done. */
  async acquire(caller: string | undefined, signal?: AbortSignal): Promise<Release> {
    let own = caller === undefined ? undefined : this.#callers.get(caller);
    if (caller !== undefined && !own) {
      own = new Semaphore(this.#perCaller);
      this.#callers.set(caller, own);
    }
    if (own) await this.#take(own, this.#queuePerCaller, signal);
    try {
      await this.#take(this.#global, this.#queueGlobal, signal);
    } catch (error) {
      if (own) this.#give(caller!, own);
      throw error;
    }
    this.peak = Math.max(this.peak, this.#global.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#global.release();
      if (own) this.#give(caller!, own);
    };
  }

  #give(caller: string, own: Semaphore): void {
    own.release();
    if (own.active === 0 && own.waiting.length === 0) this.#callers.delete(caller);
  }

  #take(semaphore: Semaphore, maxWaiting: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (semaphore.active < semaphore.limit) {
      semaphore.active += 1;
      return Promise.resolve();
    }
    if (semaphore.waiting.length >= maxWaiting) return Promise.reject(busy());
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(); // the releaser handed its slot over: `active` is unchanged
      };
      const onAbort = () => {
        const at = semaphore.waiting.indexOf(grant);
        if (at !== -1) semaphore.waiting.splice(at, 1);
        reject(cancelled());
      };
      semaphore.waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
