// The rules carried by pure functions, tested on their own: where credentials come from,
// how a saved filter and a call's arguments combine, how a time window resolves, what the
// log writes, and when a credential's tokens are renewed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResponseCache } from "../../lib/client/response-cache.ts";
import { TokenKeeper } from "../../lib/client/token-keeper.ts";
import { resolveConnection } from "../../lib/connection.ts";
import { AuthenticationError, ConfigurationError, InputError, TimeoutError } from "../../lib/errors.ts";
import { mergeFilter } from "../../lib/filter.ts";
import { redactingLogger } from "../../lib/logger.ts";
import { resolveWindow } from "../../lib/time.ts";
import { jwtWith } from "../helpers/common.ts";

describe("resolveConnection", () => {
  const env = {
    url: "https://op.nectar.services",
    accessToken: "env-access",
    refreshToken: "env-refresh",
    tenant: "acme",
  };

  it("takes tokens from the highest layer that has any: configure_connection, then headers, then the environment", () => {
    const session = { accessToken: "session-access" };
    const headers = { accessToken: "header-access", tenant: "globex" };
    const resolved = resolveConnection([
      ["configure_connection", session],
      ["headers", headers],
      ["environment", env],
    ]);
    assert.equal(resolved.source, "configure_connection");
    assert.equal(resolved.accessToken, "session-access");
    assert.equal(resolved.refreshToken, undefined, "tokens come from one layer only");
    assert.equal(resolved.url, env.url, "a layer without a URL uses a lower layer's");
    assert.equal(resolved.tenant, "globex", "the tenant comes from the highest layer that names one");
  });

  it("never sends the environment's tokens to a URL a client named", () => {
    const resolved = resolveConnection([
      ["headers", { url: "https://other.nectar.services" }],
      ["environment", env],
    ]);
    assert.equal(resolved.source, "headers");
    assert.equal(resolved.url, "https://other.nectar.services");
    assert.equal(resolved.accessToken, undefined);
    assert.equal(resolved.refreshToken, undefined);
  });

  it("uses the environment whole when a client sends only a tenant", () => {
    const resolved = resolveConnection([
      ["headers", { tenant: "globex" }],
      ["environment", env],
    ]);
    assert.deepEqual(
      { source: resolved.source, url: resolved.url, accessToken: resolved.accessToken, tenant: resolved.tenant },
      { source: "environment", url: env.url, accessToken: "env-access", tenant: "globex" },
    );
  });

  it("says none when no layer has anything", () => {
    assert.equal(
      resolveConnection([
        ["headers", undefined],
        ["environment", undefined],
      ]).source,
      "none",
    );
  });
});

describe("mergeFilter", () => {
  it("lets a call's lists win and keeps the saved ones it does not name", () => {
    const merged = mergeFilter({ platforms: ["TEAMS"], qualities: ["CRITICAL"] }, { platforms: ["ZOOM"] });
    assert.deepEqual(merged, { platforms: ["ZOOM"], qualities: ["CRITICAL"] });
  });

  it("replaces the saved window whole when the call names any time field", () => {
    assert.deepEqual(mergeFilter({ timePeriod: "LAST_WEEK" }, { from: "2026-11-20T00:00:00Z" }), {
      from: "2026-11-20T00:00:00Z",
    });
    assert.deepEqual(mergeFilter({ from: "2026-11-20T00:00:00Z", to: "2026-11-21T00:00:00Z" }, { timePeriod: "24h" }), {
      timePeriod: "24h",
    });
  });

  it("keeps the saved window when the call names no time field", () => {
    assert.deepEqual(mergeFilter({ timePeriod: "LAST_WEEK" }, { users: ["ana@example.com"] }), {
      timePeriod: "LAST_WEEK",
      users: ["ana@example.com"],
    });
  });
});

describe("resolveWindow", () => {
  const now = Date.parse("2026-11-25T09:30:45Z");

  it("resolves a named period to the DXP's own period, ending now", () => {
    const window = resolveWindow({ timePeriod: "LAST_DAY" }, now);
    assert.equal(window.from.toISOString(), "2026-11-24T09:30:45.000Z");
    assert.equal(window.to.getTime(), now);
    assert.deepEqual(window.query, { period: "LAST_DAY" });
  });

  it("defaults to the last day", () => {
    assert.equal(resolveWindow({}, now).label, "LAST_DAY");
  });

  it("ends a span on the current minute, so repeated questions ask the same thing", () => {
    const window = resolveWindow({ timePeriod: "7d" }, now);
    assert.equal(window.to.toISOString(), "2026-11-25T09:30:00.000Z");
    assert.equal(window.from.toISOString(), "2026-11-18T09:30:00.000Z");
  });

  it("reads bounds with an offset as instants, and an open end as now", () => {
    const window = resolveWindow({ from: "2026-11-24T09:00:00+02:00" }, now);
    assert.equal(window.from.toISOString(), "2026-11-24T07:00:00.000Z");
    assert.equal(window.to.getTime(), now);
  });

  it("refuses windows that make no sense with an input error saying why", () => {
    const refusals: [Parameters<typeof resolveWindow>[0], RegExp][] = [
      [{ from: "2026-11-25T00:00:00Z", to: "2026-11-24T00:00:00Z" }, /must be before/],
      [{ timePeriod: "LAST_DAY", from: "2026-11-24T00:00:00Z" }, /either timePeriod or from\/to/],
      [{ to: "2026-11-24T00:00:00Z" }, /needs a `from`/],
      [{ timePeriod: "100d" }, /longer than 90 days/],
      [{ timePeriod: "0h" }, /longer than zero/],
    ];
    for (const [input, says] of refusals) {
      assert.throws(
        () => resolveWindow(input, now),
        (e: unknown) => e instanceof InputError && says.test(e.message),
        JSON.stringify(input),
      );
    }
  });
});

describe("the redacting logger", () => {
  it("cuts out every known secret and any Bearer value, reading the secrets at each write", () => {
    const lines: string[] = [];
    let secrets = ["first-secret-token"];
    const log = redactingLogger(
      (line) => lines.push(line),
      () => secrets,
      true,
    );
    log.info("sent first-secret-token to the DXP");
    secrets = ["rotated-secret-token"];
    log.warn("now rotated-secret-token; header Authorization: Bearer abc.def-ghi");
    assert.match(lines[0]!, / info sent \[REDACTED\] to the DXP$/);
    assert.match(lines[1]!, / warn now \[REDACTED\]; header Authorization: Bearer \[REDACTED\]$/);
  });

  it("leaves short strings alone (they are no tokens) and drops debug lines unless asked", () => {
    const lines: string[] = [];
    const log = redactingLogger(
      (line) => lines.push(line),
      () => ["acme"],
      false,
    );
    log.debug("hidden");
    log.error("tenant acme");
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /error tenant acme$/);
  });
});

describe("TokenKeeper", () => {
  const NOW = Date.parse("2026-11-25T09:00:00Z");
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const jwt = (issuedMs: number, lifeMs: number) =>
    jwtWith({ iat: seconds(issuedMs), exp: seconds(issuedMs + lifeMs) });
  /** A keeper whose refresh call answers with fresh hour-long tokens, counting its calls. */
  function keeper(
    credentials: { accessToken?: string; refreshToken?: string },
    options: { operator?: boolean; now?: () => number } = {},
  ) {
    const calls: string[] = [];
    const keeper = new TokenKeeper(
      { url: "https://dxp.nectar.services", ...credentials },
      async (refreshToken) => {
        calls.push(refreshToken);
        return {
          accessToken: jwtWith({ iat: seconds(NOW), exp: seconds(NOW + 3600_000), jti: `renewal-${calls.length}` }),
          refreshToken: `refresh-${calls.length + 1}`,
        };
      },
      { now: options.now ?? (() => NOW), operator: options.operator },
    );
    return { keeper, calls };
  }

  it("uses a fresh token as it is, without refreshing", async () => {
    const token = jwt(NOW, 3600_000);
    const { keeper: k, calls } = keeper({ accessToken: token, refreshToken: "refresh-1" });
    assert.equal(await k.accessToken(), token);
    assert.deepEqual(calls, []);
  });

  it("renews a token within a minute of its expiry, once for concurrent callers", async () => {
    const { keeper: k, calls } = keeper(
      { accessToken: jwt(NOW - 3590_000, 3600_000), refreshToken: "refresh-1" },
      { operator: true },
    );
    const tokens = await Promise.all([k.accessToken(), k.accessToken(), k.accessToken()]);
    assert.deepEqual(calls, ["refresh-1"]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(k.refreshes, 1);
  });

  it("after a 401 for a token another call already replaced, hands out the new one without refreshing again", async () => {
    const old = jwt(NOW, 3600_000);
    const { keeper: k, calls } = keeper({ accessToken: old, refreshToken: "refresh-1" }, { operator: true });
    const renewed = await k.renewAfterRejection(old);
    assert.equal(await k.renewAfterRejection(old), renewed);
    assert.deepEqual(calls, ["refresh-1"]);
  });

  it("stops accepting a client's renewed pair once the original access token's lifetime is over", async () => {
    let now = NOW;
    const original = jwt(NOW, 600_000);
    const { keeper: k } = keeper({ accessToken: original, refreshToken: "refresh-1" }, { now: () => now });
    await k.renewAfterRejection(original);
    now += 601_000;
    await assert.rejects(k.accessToken(), AuthenticationError);
  });

  it("without any token says how to set one", async () => {
    const { keeper: k } = keeper({});
    await assert.rejects(
      k.accessToken(),
      (e: unknown) => e instanceof ConfigurationError && /NECTAR_ACCESS_TOKEN/.test(e.userMessage),
    );
  });
});

describe("the answer cache", () => {
  /** A load the test finishes by hand, recording whether it was cancelled. */
  function manualLoad() {
    let finish!: (value: { n: number }) => void;
    const state = { calls: 0, aborted: false };
    const load = (signal: AbortSignal) => {
      state.calls += 1;
      signal.addEventListener("abort", () => (state.aborted = true));
      return new Promise<{ n: number }>((resolve) => (finish = resolve));
    };
    return { load, state, finish: (n: number) => finish({ n }) };
  }

  it("keeps the shared load going while one of its callers cancels, and cancels it when the last one leaves", async () => {
    const cache = new ResponseCache({ ttlMs: 0 });
    const { load, state, finish } = manualLoad();
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.get("k", load, first.signal);
    const b = cache.get("k", load, second.signal);
    first.abort();
    await assert.rejects(a, TimeoutError);
    assert.equal(state.aborted, false, "the other caller still waits");
    finish(1);
    assert.deepEqual(await b, { n: 1 });
    assert.equal(state.calls, 1);

    const again = manualLoad();
    const only = new AbortController();
    const c = cache.get("k2", again.load, only.signal);
    only.abort();
    await assert.rejects(c, TimeoutError);
    assert.equal(again.state.aborted, true, "nobody waits any more");
  });

  it("reuses an answer within its TTL, asks again after it, and never keeps a failure", async () => {
    let now = 1_000_000; // lru-cache reads a start time of 0 as "none"
    const cache = new ResponseCache({ ttlMs: 1000, now: () => now });
    let calls = 0;
    const load = async () => ({ n: ++calls });
    assert.deepEqual(await cache.get("k", load), { n: 1 });
    now += 999;
    assert.deepEqual(await cache.get("k", load), { n: 1 });
    now += 2;
    assert.deepEqual(await cache.get("k", load), { n: 2 });
    await assert.rejects(
      cache.get("bad", async () => {
        throw new Error("down");
      }),
    );
    assert.deepEqual(await cache.get("bad", load), { n: 3 });
  });
});
