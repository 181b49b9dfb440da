// The shared stores on Deno KV (openKv: a local SQLite file, or the database every
// isolate of a Deno Deploy project shares): filter handles, 2025-era session records and
// renewed tokens, with the same contracts and semantics as the Redis stores beside them
// (owner-checked reads and deletes, touch on read, one renewal per rotation across
// processes). One file per store, over kv-client.ts (what lib/ sees of a Deno Kv). Answers
// stay in each isolate's memory (see docs/deno.md: a KV value holds at most 64 KiB and a
// write per read costs more than the short-lived reuse gains).
import { CredentialKeys } from "./credential-keys.ts";
import { type KvLike, waitingForWriters } from "./kv-client.ts";
import { KvFilterStore } from "./kv-filter-store.ts";
import { KvSessionStore } from "./kv-session-store.ts";
import { KvTokenStore } from "./kv-token-store.ts";
import { MemoryAnswerStore } from "./memory-answer-store.ts";
import type { SharedStores } from "./shared-stores.ts";

export interface KvStoresOptions {
  /** NECTAR_STORE_SECRET: the same in every process and isolate. */
  secret: string;
  sessionIdleMs?: number;
  /** Longest a token renewal may hold its lock (above the upstream time budget). */
  renewalLockMs?: number;
}

/** Every store a Deno deployment shares, on KV; answers stay in this isolate's memory. */
export function kvStores(opened: KvLike, options: KvStoresOptions): SharedStores {
  const kv = waitingForWriters(opened);
  return {
    keys: new CredentialKeys(new TextEncoder().encode(options.secret)),
    tokens: new KvTokenStore(kv, { lockTtlMs: options.renewalLockMs }),
    sessions: new KvSessionStore(kv, { idleTtlMs: options.sessionIdleMs }),
    answers: new MemoryAnswerStore(),
    filters: new KvFilterStore(kv),
    // KV has no connection to lose (a local file, or Deploy's own database): a failed
    // operation is a StoreUnavailableError on that call.
    ready: () => true,
  };
}
