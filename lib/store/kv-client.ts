// Deno KV as the stores see it: the small structural KvLike a real Deno Kv satisfies (lib/
// never touches Deno's globals; the Deno shell opens it), retries while another process
// writes the file, and the expiry every stored value carries. KV's expireIn deletes a key
// some time *after* it expires (a read may still see it), so every value carries its own
// expiresAt and a read past it is a miss; expireIn only cleans up.
import { attempt } from "./store-error.ts";

/** A Deno KV key: a tuple of parts. */
export type KvKey = readonly (string | number)[];

export interface KvEntry {
  value: unknown;
  /** null when the key holds nothing. */
  versionstamp: string | null;
}

export interface KvSetOptions {
  /** Milliseconds after which KV may delete the key (not exactly then: see expiresAt). */
  expireIn?: number;
}

/** An atomic operation: every check must hold for the mutations to commit. */
export interface KvAtomicLike {
  check(...checks: { key: KvKey; versionstamp: string | null }[]): KvAtomicLike;
  set(key: KvKey, value: unknown, options?: KvSetOptions): KvAtomicLike;
  delete(key: KvKey): KvAtomicLike;
  /** ok false when a check failed (another writer came first); versionstamp of what was written. */
  commit(): Promise<{ ok: boolean; versionstamp?: string }>;
}

/** The part of Deno's Kv the stores use. */
export interface KvLike {
  get(key: KvKey): Promise<KvEntry>;
  set(key: KvKey, value: unknown, options?: KvSetOptions): Promise<unknown>;
  delete(key: KvKey): Promise<void>;
  atomic(): KvAtomicLike;
}

/** SQLite's answer when another process holds the write lock (a local KV file shared by processes). */
const BUSY = /database is locked|busy/i;
const BUSY_TRIES = 40;

export const pauseMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `operation` retried while SQLite says another process holds the file's write lock: local
 * Deno KV (a SQLite file) answers "database is locked" instead of waiting when several
 * processes open or write it at once. Deno Deploy's KV never does, so this is free there.
 */
export async function whileBusy<T>(
  operation: () => Promise<T>,
  pause: (ms: number) => Promise<void> = pauseMs,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await operation();
    } catch (error) {
      if (tries >= BUSY_TRIES || !BUSY.test(error instanceof Error ? error.message : String(error))) throw error;
      await pause(Math.min(50, 2 * tries) + Math.random() * 5);
    }
  }
}

/**
 * The KV with each operation retried while another process holds the write lock (whileBusy).
 * An atomic operation is replayed from scratch on each try (its checks still decide).
 */
export function waitingForWriters(kv: KvLike, pause: (ms: number) => Promise<void> = pauseMs): KvLike {
  const retried = <T>(operation: () => Promise<T>): Promise<T> => whileBusy(operation, pause);
  const atomic = (steps: ((op: KvAtomicLike) => KvAtomicLike)[]): KvAtomicLike => ({
    check: (...checks) => atomic([...steps, (op) => op.check(...checks)]),
    set: (key, value, options) => atomic([...steps, (op) => op.set(key, value, options)]),
    delete: (key) => atomic([...steps, (op) => op.delete(key)]),
    commit: () => retried(() => steps.reduce((op, step) => step(op), kv.atomic()).commit()),
  });
  return {
    get: (key) => retried(() => kv.get(key)),
    set: (key, value, options) => retried(() => kv.set(key, value, options)),
    delete: (key) => retried(() => kv.delete(key)),
    atomic: () => atomic([]),
  };
}

/** Every key the server writes starts with this part (the Redis stores' "nectar:"). */
export const KV_ROOT = "nectar";

/** What every KV value carries besides its payload: when it stops counting. */
export interface Expiring {
  expiresAt: number;
}

export const expireIn = (ms: number) => ({ expireIn: Math.max(1, Math.ceil(ms)) });

export interface Live<T> {
  value: T;
  versionstamp: string;
}

/** The entry's value while it has not expired by its own clock; undefined otherwise. */
export async function readLive<T extends Expiring>(
  kv: KvLike,
  key: KvKey,
  what: string,
  now: number,
): Promise<Live<T> | undefined> {
  const entry = await attempt(what, () => kv.get(key));
  if (entry.versionstamp === null || entry.value === null || typeof entry.value !== "object") return undefined;
  const value = entry.value as T;
  return value.expiresAt > now ? { value, versionstamp: entry.versionstamp } : undefined;
}

/**
 * Restart an entry's idle timer: rewrite it with a later expiry, only if nobody wrote it
 * since we read it (a concurrent save is newer and has restarted the timer itself). Skipped
 * while the entry was written recently (within `granularityMs`), which halves the writes of
 * a session whose every request also saves it. Best effort: a failed touch is not an error.
 */
export async function touch<T extends Expiring>(
  kv: KvLike,
  key: KvKey,
  live: Live<T>,
  ttlMs: number,
  granularityMs: number,
  now: number,
): Promise<void> {
  if (live.value.expiresAt - now > ttlMs - granularityMs) return;
  await kv
    .atomic()
    .check({ key, versionstamp: live.versionstamp })
    .set(key, { ...live.value, expiresAt: now + ttlMs }, expireIn(ttlMs))
    .commit()
    .catch(() => {});
}

export interface KvStoreOptions {
  /** The first part of every key. Default "nectar". */
  root?: string;
  now?: () => number;
}
