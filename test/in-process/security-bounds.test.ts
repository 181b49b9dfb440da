// Issue 9, findings 4 (memory) and 5 (upstream work): answers bounded by bytes, batches
// bounded, concurrent upstream requests bounded globally and per caller with a clear
// "busy" error, and a caller who goes away cancels its upstream requests.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DxpClient } from "../../lib/client/client.ts";
import { ResponseCache } from "../../lib/client/response-cache.ts";
import { UpstreamLimiter } from "../../lib/security/upstream-limiter.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { newSessionState } from "../../lib/session.ts";
import { MemoryAnswerStore } from "../../lib/store/memory-answer-store.ts";
import {
  type App,
  call,
  credentialHeaders,
  type Dxp,
  inProcess,
  rpc,
  startApp,
  startDxp,
  textOf,
  toolCall,
} from "../helpers/security.ts";

let dxp: Dxp;
before(async () => {
  dxp = await startDxp();
});
after(() => dxp?.close());

/** A fetch for the pool that counts requests in flight and can hold them until released or aborted. */
function gauge() {
  let inFlight = 0;
  const state = { peak: 0, aborted: 0, hold: false, started: 0 };
  const waiting: (() => void)[] = [];
  let onStart: (() => void) | undefined;
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    inFlight += 1;
    state.peak = Math.max(state.peak, inFlight);
    state.started += 1;
    onStart?.();
    try {
      if (state.hold) {
        await new Promise<void>((resolve, reject) => {
          waiting.push(resolve);
          request.signal.addEventListener("abort", () => {
            state.aborted += 1;
            reject(request.signal.reason);
          });
        });
      }
      return await fetch(request);
    } finally {
      inFlight -= 1;
    }
  };
  return {
    state,
    fetch: fetchImpl,
    started: () => new Promise<void>((resolve) => (onStart = resolve)),
    /** How many held requests were aborted, once one is (the loop is a hang guard only). */
    aborted: async () => {
      for (let i = 0; i < 400 && state.aborted === 0; i++) await new Promise((r) => setTimeout(r, 25));
      return state.aborted;
    },
    release: () => {
      state.hold = false;
      for (const go of waiting.splice(0)) go();
    },
  };
}

describe("the answer cache", () => {
  it("stays within its byte budget across many answers and credentials", async () => {
    const answers = new MemoryAnswerStore({ maxBytes: 2_000 });
    for (let user = 0; user < 3; user++) {
      const client = new DxpClient(
        { url: dxp.url, ...dxp.sim.issueTokens() },
        { urlPolicy: { allowLoopbackHttp: true }, answerStore: answers },
        { key: `user-${user}` },
      );
      for (let page = 1; page <= 15; page++)
        await client.sessions({ pageSize: 20, pageNumber: page }, { tenant: "acme" });
    }
    assert.ok(answers.usage.bytes <= 2_000, `${answers.usage.bytes} bytes kept`);
    assert.ok(answers.usage.entries < 45, `${answers.usage.entries} answers kept of 45`);
  });
});

describe("one request's work", () => {
  let app: App;
  before(async () => {
    app = await startApp({ environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" } });
  });
  after(() => app?.close());

  it("refuses a batch of 100 tool calls with a clear error before any upstream request", async () => {
    dxp.sim.clearRequests();
    const batch = Array.from({ length: 100 }, (_, i) => toolCall("get_session_summary", {}, i + 1));
    const response = await rpc(app.url, {}, batch);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /at most 32 messages/);
    const calls = await rpc(app.url, {}, batch.slice(0, 9));
    assert.equal(calls.status, 400);
    assert.match(await calls.text(), /at most 8 tool calls \(this one has 9\)/);
    assert.equal(dxp.sim.requests.length, 0);
  });
});

describe("concurrent upstream requests", () => {
  it("never exceed the global bound, and every call still succeeds", async () => {
    const meter = gauge();
    const app = await startApp({
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      pool: { fetch: meter.fetch, limiter: new UpstreamLimiter({ global: 3 }), cache: { ttlMs: 0 } },
    });
    try {
      dxp.sim.setFaults({ latencyMs: 20 });
      const batch = Array.from({ length: 8 }, (_, i) =>
        toolCall("get_session_summary", { timePeriod: i % 2 ? "LAST_DAY" : "LAST_WEEK" }, i + 1),
      );
      const response = await rpc(app.url, {}, batch);
      const answers = (await response.json()) as { result: { isError?: boolean } }[];
      assert.equal(answers.length, 8);
      assert.ok(answers.every((a) => !a.result.isError));
      assert.ok(meter.state.started >= 8);
      assert.ok(meter.state.peak <= 3, `peak ${meter.state.peak}`);
    } finally {
      dxp.sim.setFaults({ latencyMs: 0 });
      await app.close();
    }
  });

  it("past one caller's bound and queue, answer a tool error saying the server is busy and to retry", async () => {
    const meter = gauge();
    const app = await startApp({
      pool: { fetch: meter.fetch, limiter: new UpstreamLimiter({ perCaller: 1, queuePerCaller: 0 }) },
    });
    const headers = credentialHeaders({ url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" });
    try {
      meter.state.hold = true;
      const started = meter.started();
      const first = call(app.url, headers, "get_tenant_names");
      await started;
      const second = await call(app.url, headers, "get_tenant_platforms");
      assert.equal(second.isError, true);
      assert.match(textOf(second), /busy with other requests to the DXP\. Retry in a moment/);
      meter.release();
      assert.equal((await first).isError, undefined);
    } finally {
      meter.release();
      await app.close();
    }
  });
});

describe("a caller that goes away", () => {
  it("cancels its upstream request when it closes the HTTP request", async () => {
    const meter = gauge();
    const app = await startApp({
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      pool: { fetch: meter.fetch },
    });
    try {
      meter.state.hold = true;
      const started = meter.started();
      const abort = new AbortController();
      const pending = rpc(app.url, {}, toolCall("get_tenant_names"), abort.signal).catch(() => undefined);
      await started;
      abort.abort();
      await pending;
      assert.equal(await meter.aborted(), 1, "the upstream request was aborted");
    } finally {
      meter.release();
      await app.close();
    }
  });

  it("cancels its upstream request when it cancels the MCP call (notifications/cancelled)", async () => {
    const meter = gauge();
    const { client, close } = await inProcess({
      session: newSessionState(),
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      clients: new ClientPool({ urlPolicy: { allowLoopbackHttp: true }, fetch: meter.fetch }),
    });
    try {
      meter.state.hold = true;
      const started = meter.started();
      const abort = new AbortController();
      const pending = client
        .callTool({ name: "get_tenant_names", arguments: {} }, undefined, { signal: abort.signal })
        .catch(() => undefined);
      await started;
      abort.abort();
      await pending;
      assert.equal(await meter.aborted(), 1, "the upstream request was aborted");
    } finally {
      meter.release();
      await close();
    }
  });

  it("cancels a request it shares with others only when the last of them is gone", async () => {
    const cache = new ResponseCache({ ttlMs: 0 });
    let loadSignal: AbortSignal | undefined;
    const load = (signal: AbortSignal) => {
      loadSignal = signal;
      return new Promise<string>((resolve) => setTimeout(() => resolve("answer"), 60_000).unref());
    };
    const one = new AbortController();
    const two = new AbortController();
    const first = cache.get("k", load, one.signal).catch((e: Error) => e.message);
    const second = cache.get("k", load, two.signal).catch((e: Error) => e.message);
    one.abort();
    assert.match(await first, /cancelled/);
    assert.equal(loadSignal?.aborted, false, "the other caller still waits");
    two.abort();
    assert.match(await second, /cancelled/);
    assert.equal(loadSignal?.aborted, true);
  });
});
