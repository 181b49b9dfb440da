// Fault injection for /dapi requests: added latency, a deterministic queue of one-off
// faults (`failNext`), then random rates drawn from a seeded PRNG.
import { z } from "zod";
import { errorCode, htmlResponse, jsonResponse } from "./http.ts";
import type { Rng } from "./random.ts";

export const defaultFaults = (): Faults => ({
  latencyMs: 0,
  answerInWaves: false,
  gather: 0,
  rate429: 0,
  retryAfterSeconds: 1,
  rate5xx: 0,
  status5xx: 503,
  malformedRate: 0,
  htmlErrorRate: 0,
  rejectRefresh: false,
  failNext: [],
});

const rate = z.number().min(0).max(1);
const faultKindSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("status"),
    status: z.number().int().min(100).max(599),
    retryAfterSeconds: z.number().min(0).optional(),
    body: z.enum(["json", "html"]).optional(),
  }),
  z.object({ kind: z.literal("malformed") }),
  z.object({ kind: z.literal("truncated") }),
  z.object({ kind: z.literal("huge"), bytes: z.number().int().min(0).optional() }),
  z.object({ kind: z.literal("hang"), ms: z.number().min(0) }),
  z.object({ kind: z.literal("expire-token") }),
]);

export type FaultKind = z.infer<typeof faultKindSchema>;

const faultsSchema = z.strictObject({
  /** Added before every /dapi answer. */
  latencyMs: z.number().min(0),
  /**
   * Hold each /dapi request until none has arrived for a while (counted in event-loop turns,
   * not time), then answer the held ones together: requests a client sends together share a
   * wave, so round trips are counted the same on a busy machine as on an idle one.
   */
  answerInWaves: z.boolean(),
  /**
   * Hold the next this many /dapi requests until all of them have arrived, then go on (once):
   * requests from several clients are in flight together however the machine schedules them.
   */
  gather: z.number().int().min(0),
  /** 0..1 probability per /dapi request. */
  rate429: rate,
  /** Retry-After header on 429s; null sends none. */
  retryAfterSeconds: z.number().min(0).nullable(),
  rate5xx: rate,
  status5xx: z.union([z.literal(500), z.literal(502), z.literal(503)]),
  /** 0..1: 200 with a body that is not JSON. */
  malformedRate: rate,
  /** 0..1: 502 with an HTML proxy page. */
  htmlErrorRate: rate,
  /** The refresh endpoint answers 401. */
  rejectRefresh: z.boolean(),
  /** Deterministic queue, consumed one entry per /dapi request (before rates apply). */
  failNext: z.array(faultKindSchema),
});

export type Faults = z.infer<typeof faultsSchema>;

/** Validates `POST /_sim/faults` bodies. */
export const faultsPatchSchema = faultsSchema.partial();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What to do with one /dapi request. */
export type FaultOutcome =
  | { type: "none" }
  | { type: "respond"; response: Response }
  | { type: "rewrite"; rewrite: (answer: Response) => Promise<Response> }
  | { type: "expire-token" };

export const MALFORMED_BODY = '{"elements": [';
export const DEFAULT_HUGE_BYTES = 20 * 1024 * 1024;

function statusFault(status: number, body: "json" | "html", retryAfterSeconds: number | null | undefined): Response {
  const headers: Record<string, string> = retryAfterSeconds == null ? {} : { "retry-after": String(retryAfterSeconds) };
  if (body === "html") return htmlResponse(status, headers);
  return jsonResponse({ error: errorCode(status), message: `Simulated ${status}.` }, status, headers);
}

const malformed = () => new Response(MALFORMED_BODY, { status: 200, headers: { "content-type": "application/json" } });

async function truncate(answer: Response): Promise<Response> {
  const text = await answer.text();
  const headers = { "content-type": "application/json" };
  return new Response(text.slice(0, Math.floor(text.length / 2)), { status: answer.status, headers });
}

/** Valid JSON that still fits the answer's shape where it can: padding rides on an object. */
async function inflate(answer: Response, bytes: number): Promise<Response> {
  const body: unknown = JSON.parse(await answer.text());
  const padding = "x".repeat(bytes);
  let inflated: unknown;
  if (Array.isArray(body) && body.length > 0 && typeof body[0] === "object" && body[0] !== null) {
    inflated = [{ ...body[0], padding }, ...body.slice(1)];
  } else if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    inflated = { ...body, padding };
  } else {
    inflated = { padding, elements: body };
  }
  return jsonResponse(inflated, answer.status);
}

function fromQueue(fault: FaultKind, faults: Faults): FaultOutcome | Promise<FaultOutcome> {
  switch (fault.kind) {
    case "status": {
      const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? faults.retryAfterSeconds : null);
      return { type: "respond", response: statusFault(fault.status, fault.body ?? "json", retryAfter) };
    }
    case "malformed":
      return { type: "respond", response: malformed() };
    case "truncated":
      return { type: "rewrite", rewrite: truncate };
    case "huge":
      return { type: "rewrite", rewrite: (answer) => inflate(answer, fault.bytes ?? DEFAULT_HUGE_BYTES) };
    case "hang":
      return sleep(fault.ms).then(() => ({ type: "none" }));
    case "expire-token":
      return { type: "expire-token" };
  }
}

/**
 * Turns of the event loop without a new request before a wave is answered. A request sent
 * with others reaches the simulator within a few turns (loopback delivery is immediate); a
 * request that waits for an answer cannot arrive before the wave is answered.
 */
const QUIET_TURNS = 50;

/** The requests held for the next wave, per simulator (its faults object). */
const waves = new WeakMap<Faults, { held: (() => void)[]; arrivals: number }>();

function joinWave(faults: Faults): Promise<void> {
  let wave = waves.get(faults);
  const first = !wave;
  if (!wave) waves.set(faults, (wave = { held: [], arrivals: 0 }));
  wave.arrivals++;
  const answered = new Promise<void>((resolve) => wave.held.push(resolve));
  if (first) void answerWhenQuiet(faults, wave);
  return answered;
}

async function answerWhenQuiet(faults: Faults, wave: { held: (() => void)[]; arrivals: number }) {
  for (let quiet = 0, seen = wave.arrivals; quiet < QUIET_TURNS; ) {
    await sleep(0);
    if (wave.arrivals === seen) quiet++;
    else [quiet, seen] = [0, wave.arrivals];
  }
  waves.delete(faults);
  for (const resolve of wave.held) resolve();
}

/** The requests held by `gather`, per simulator. */
const gathered = new WeakMap<Faults, (() => void)[]>();

function joinGathering(faults: Faults): Promise<void> {
  const held = gathered.get(faults) ?? [];
  gathered.set(faults, held);
  const released = new Promise<void>((resolve) => held.push(resolve));
  if (held.length >= faults.gather) {
    faults.gather = 0;
    gathered.delete(faults);
    for (const resolve of held) resolve();
  }
  return released;
}

export async function chooseFault(faults: Faults, rng: Rng): Promise<FaultOutcome> {
  if (faults.gather > 0) await joinGathering(faults);
  if (faults.answerInWaves) await joinWave(faults);
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  const queued = faults.failNext.shift();
  if (queued) return fromQueue(queued, faults);
  if (faults.rate429 > 0 && rng() < faults.rate429) {
    return { type: "respond", response: statusFault(429, "json", faults.retryAfterSeconds) };
  }
  if (faults.rate5xx > 0 && rng() < faults.rate5xx) {
    return { type: "respond", response: statusFault(faults.status5xx, "json", null) };
  }
  if (faults.htmlErrorRate > 0 && rng() < faults.htmlErrorRate) {
    return { type: "respond", response: statusFault(502, "html", null) };
  }
  if (faults.malformedRate > 0 && rng() < faults.malformedRate) {
    return { type: "respond", response: malformed() };
  }
  return { type: "none" };
}
