// Node only: the fetch used for DXP URLs a client names (X-Nectar-DXP-URL,
// configure_connection). Its connections resolve names through a lookup that refuses
// every address the URL policy refuses (loopback, private, link-local, metadata), checked
// on the addresses actually dialled, so a name on the allow-list that resolves (or is
// rebound) to an internal address reaches nothing. lib/ receives it as the client's
// `fetch` option; Deno cannot hook its resolver (see docs/security.md).
import type { LookupAddress, LookupOptions } from "node:dns";
import type { Dispatcher } from "undici";
import { checkResolvedAddress, type UrlPolicy } from "../lib/security/url-policy.ts";

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

export interface GuardedFetchOptions {
  policy: Partial<UrlPolicy>;
  /** Name resolution (tests hook it); default node:dns lookup. */
  lookup?: Lookup;
  /** Extra trusted CA certificates, PEM (tests with a self-signed DXP). */
  ca?: string | string[];
}

export function guardedFetch(options: GuardedFetchOptions): typeof fetch {
  const guarded =
    (base: Lookup): Lookup =>
    (hostname, lookupOptions, callback) =>
      base(hostname, lookupOptions, (error, address, family) => {
        if (error) return callback(error, address, family);
        const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
        try {
          for (const a of addresses) checkResolvedAddress(a, options.policy);
        } catch (refused) {
          return callback(refused as NodeJS.ErrnoException, address, family);
        }
        callback(null, address, family);
      });
  // undici (about 15 MiB) and node:dns are loaded on first use: a server whose clients never
  // name a URL never pays for them.
  let agent: Promise<Dispatcher> | undefined;
  const dispatcher = () =>
    (agent ??= Promise.all([
      import("undici"),
      options.lookup ?? import("node:dns").then((dns) => dns.lookup as unknown as Lookup),
    ]).then(
      // undici is CommonJS: bundled into a split ESM build, its exports arrive under `default`.
      ([undici, base]) =>
        new (undici.Agent ?? (undici as unknown as { default: typeof undici }).default.Agent)({
          connect: { lookup: guarded(base) as never, ...(options.ca ? { ca: options.ca } : {}) },
        }),
    ));
  // The global fetch takes undici's `dispatcher` (the same undici version Node bundles).
  return (async (input: RequestInfo | URL, init?: RequestInit) =>
    fetch(input, { ...init, dispatcher: await dispatcher() } as RequestInit)) as typeof fetch;
}
