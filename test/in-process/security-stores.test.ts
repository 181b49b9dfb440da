// The store contracts (lib/store) a shared implementation must keep too, the keyed
// credential hash, and the address classification the connect-time guard relies on, in
// every notation ipaddr.js reads.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyAddress } from "../../lib/security/address-classes.ts";
import { checkResolvedAddress } from "../../lib/security/url-policy.ts";
import { CredentialKeys } from "../../lib/store/credential-keys.ts";
import { MemorySessionStore } from "../../lib/store/memory-session-store.ts";
import { MemoryTokenStore } from "../../lib/store/memory-token-store.ts";

describe("the token store", () => {
  it("runs one renewal for concurrent callers and hands everyone its result", async () => {
    const store = new MemoryTokenStore();
    let calls = 0;
    const renew = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return { accessToken: "A1", refreshToken: "R1", refreshes: 1 };
    };
    const records = await Promise.all(Array.from({ length: 10 }, () => store.renew("k", "A0", renew, 60_000)));
    assert.equal(calls, 1);
    assert.ok(records.every((r) => r.accessToken === "A1"));
  });

  it("does not renew again for a caller who saw an older token: it gets the current one", async () => {
    const store = new MemoryTokenStore();
    await store.renew("k", "A0", async () => ({ accessToken: "A1", refreshes: 1 }), 60_000);
    let called = false;
    const record = await store.renew(
      "k",
      "A0",
      async () => ((called = true), { accessToken: "A2", refreshes: 2 }),
      60_000,
    );
    assert.equal(called, false);
    assert.equal(record.accessToken, "A1");
  });
});

describe("the session store", () => {
  it("gives a session only to its owner, and lets only its owner delete it", async () => {
    const store = new MemorySessionStore();
    const created = await store.create("s1", "owner-a");
    assert.ok(created.ok);
    assert.equal(await store.get("s1", "owner-b"), undefined);
    assert.equal(await store.delete("s1", "owner-b"), false);
    assert.equal(await store.get("s1", "owner-a"), created.state);
    assert.equal(await store.delete("s1", "owner-a"), true);
  });

  it("at the cap evicts a session idle longer than the protection window, never a recent one", async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore({ maxSessions: 2, protectRecentMs: 1000, idleTtlMs: 10_000, now: () => now });
    await store.create("old", "o");
    now += 500;
    await store.create("recent", "o");
    assert.deepEqual(await store.create("third", "o"), { ok: false, reason: "full" }, "both in recent use");
    now += 700; // "old" idle 1.2 s, "recent" 0.7 s
    assert.ok((await store.create("third", "o")).ok);
    assert.equal(await store.get("old", "o"), undefined);
    assert.ok(await store.get("recent", "o"));
  });
});

describe("credential keys", () => {
  it("are stable per secret, differ across secrets and never contain the token", async () => {
    const secret = new Uint8Array(32).fill(7);
    const one = new CredentialKeys(secret);
    const two = new CredentialKeys(secret);
    const other = new CredentialKeys();
    const token = "secret-access-token-value";
    const key = await one.derive("https://x.nectar.services", token);
    assert.equal(key, await two.derive("https://x.nectar.services", token), "replicas with one secret agree");
    assert.notEqual(key, await other.derive("https://x.nectar.services", token));
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.ok(!key.includes(token));
  });
});

describe("resolved addresses, in every notation ipaddr.js reads", () => {
  const cases: [string, string][] = [
    ["127.0.0.2", "loopback"],
    ["127.1", "loopback"],
    ["0x7f.0.0.2", "loopback"],
    ["2130706434", "loopback"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.2", "loopback"],
    ["::ffff:7f00:2", "loopback"],
    ["64:ff9b::7f00:2", "loopback"],
    ["2002:7f00:0002::", "loopback"],
    ["::FFFF:169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["10.1.2.3", "private"],
    ["fc00::5", "private"],
    ["100.64.0.1", "private"],
    ["fe80::1", "link-local"],
    ["169.254.1.1", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["8.8.8.8", "public-ip"],
    ["2606:4700::1111", "public-ip"],
  ];
  for (const [address, kind] of cases) {
    it(`${address} is ${kind}`, () => assert.equal(classifyAddress(address), kind));
  }

  it("the connect-time check refuses loopback unless loopback is allowed, private unless private is allowed, and metadata always", () => {
    assert.throws(() => checkResolvedAddress("127.0.0.2", {}), /resolves to a loopback address/);
    checkResolvedAddress("127.0.0.2", { allowLoopbackHttp: true });
    assert.throws(() => checkResolvedAddress("10.0.0.1", {}), /private address/);
    checkResolvedAddress("10.0.0.1", { allowPrivateAddresses: true });
    assert.throws(
      () => checkResolvedAddress("169.254.169.254", { allowPrivateAddresses: true, allowLoopbackHttp: true }),
      /metadata/,
    );
    checkResolvedAddress("8.8.8.8", {});
  });
});
