// A Deno process racing another for one credential's renewal on a shared Deno KV file
// (test/deno-kv.test.ts starts two): it opens the KV, says "ready", waits for "go" on
// stdin, then renews the credential twice at once through KvTokenStore with a slow
// upstream refresh, and prints how many refreshes it made and the tokens it got.
//   deno run --unstable-kv --allow-read=DIR --allow-write=DIR test/helpers/kv-renew-race.ts DIR/kv.sqlite

import type { TokenRecord } from "../../lib/store/interfaces.ts";
import { type KvLike, waitingForWriters, whileBusy } from "../../lib/store/kv-client.ts";
import { KvTokenStore } from "../../lib/store/kv-token-store.ts";

declare const Deno: {
  args: string[];
  openKv(path: string): Promise<KvLike & { close(): void }>;
  stdin: { readable: ReadableStream<Uint8Array> };
};

// Both racers open the file at once: SQLite may answer "database is locked" to one of them.
const kv = await whileBusy(() => Deno.openKv(Deno.args[0]!));
const store = new KvTokenStore(waitingForWriters(kv), { pollMs: 10 });
let refreshes = 0;
const renew = async (current: TokenRecord | undefined): Promise<TokenRecord> => {
  refreshes += 1;
  await new Promise((r) => setTimeout(r, 200)); // the refresh call takes a while: the other process waits meanwhile
  return {
    accessToken: `renewed-${crypto.randomUUID()}`,
    refreshToken: "rotated",
    refreshes: (current?.refreshes ?? 0) + 1,
  };
};

console.log("ready");
const reader = Deno.stdin.readable.getReader();
await reader.read(); // "go"
const results = await Promise.all([
  store.renew("race", "original", renew, 60_000),
  store.renew("race", "original", renew, 60_000),
]);
console.log(JSON.stringify({ refreshes, tokens: results.map((r) => r.accessToken) }));
kv.close();
