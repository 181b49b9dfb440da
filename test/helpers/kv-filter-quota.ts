// FilterStore.put's per-caller quota on Deno KV (test/deno-kv.test.ts runs it under Deno).
//   deno run --unstable-kv --allow-read=DIR --allow-write=DIR test/helpers/kv-filter-quota.ts DIR/kv.sqlite contract
//     runs test/helpers/filter-quota.ts's check and prints its outcome as JSON;
//   … DIR/kv.sqlite flood OWNER TAG
//     says "ready", waits for "go" on stdin, floods OWNER with new filters (tagged TAG) and
//     prints the indexes it kept (two such processes on one file share the owner's quota).
import { type KvLike, waitingForWriters, whileBusy } from "../../lib/store/kv-client.ts";
import { KvFilterStore } from "../../lib/store/kv-filter-store.ts";
import { filterQuotaOutcome, floodOwner } from "./filter-quota.ts";

declare const Deno: {
  args: string[];
  openKv(path: string): Promise<KvLike & { close(): void }>;
  stdin: { readable: ReadableStream<Uint8Array> };
};

const [path, mode, owner, tag] = Deno.args;
const kv = await whileBusy(() => Deno.openKv(path!));
const store = new KvFilterStore(waitingForWriters(kv));
if (mode === "contract") {
  console.log(JSON.stringify(await filterQuotaOutcome(store)));
} else {
  console.log("ready");
  await Deno.stdin.readable.getReader().read(); // "go"
  const { kept, failed } = await floodOwner(store, owner!, undefined, false, tag);
  console.log(JSON.stringify({ kept, failed }));
}
kv.close();
