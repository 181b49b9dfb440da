// Endpoint-client tests (synthetic calls run by Nectar's endpoint clients): a few
// clients per location, run around the clock; Dallas fails and warns more.
import { DAY_MS, LOCATIONS, WIFI_TROUBLE_LOCATION } from "./catalogue.ts";
import { between, hashSeed, intBetween, pick, type Rng, uuid, weighted } from "./random.ts";
import type { GenerateOptions, SimUser } from "./users.ts";

/** Each endpoint client's network: Dallas's on the troubled Wi-Fi, elsewhere a stable hash of the name (no draw: the streams stay as they were). */
export function endpointNetwork(endpointName: string, locationId: string): "WIRED" | "WIFI" {
  if (locationId === WIFI_TROUBLE_LOCATION) return "WIFI";
  return hashSeed("epc-network", endpointName) % 3 === 0 ? "WIFI" : "WIRED";
}

export type TestResult = "PASS" | "FAIL" | "WARN";

export interface SimTest {
  readonly testId: string;
  readonly endpointName: string;
  readonly user: SimUser;
  readonly testType: "AUDIO_CALL" | "VIDEO_CALL" | "NETWORK";
  readonly result: TestResult;
  readonly mos: number;
  readonly jitter: number;
  readonly packetLoss: number;
  readonly rtt: number;
  /** Seconds since the epoch. */
  readonly startSec: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

const pickTestType = weighted<SimTest["testType"]>([
  ["AUDIO_CALL", 50],
  ["VIDEO_CALL", 20],
  ["NETWORK", 30],
]);
const pickResult = weighted<TestResult>([
  ["PASS", 85],
  ["WARN", 10],
  ["FAIL", 5],
]);
const pickTroubledResult = weighted<TestResult>([
  ["PASS", 50],
  ["WARN", 25],
  ["FAIL", 25],
]);

export function generateTests(rng: Rng, users: SimUser[], start: number, options: GenerateOptions): SimTest[] {
  // Three or four endpoint clients per location, each run by one local user.
  const clients = LOCATIONS.flatMap((location) => {
    const locals = users.filter((user) => user.location === location);
    const count = intBetween(rng, 3, 4);
    return Array.from({ length: count }, (_, i) => ({
      name: `EPC-${location.code}-${String(i + 1).padStart(2, "0")}`,
      user: locals[i % locals.length]!,
    }));
  });
  const span = options.days * DAY_MS;
  const tests: SimTest[] = [];
  for (let n = 0; n < options.tests; n++) {
    const client = pick(rng, clients);
    const troubled = client.user.location.id === WIFI_TROUBLE_LOCATION;
    const result = troubled ? pickTroubledResult(rng) : pickResult(rng);
    const [mosLow, mosHigh, jitterHigh, lossHigh] =
      result === "PASS" ? [3.8, 4.5, 15, 0.5] : result === "WARN" ? [3.0, 3.8, 45, 3] : [1.0, 3.0, 120, 12];
    tests.push({
      testId: uuid(rng),
      endpointName: client.name,
      user: client.user,
      testType: pickTestType(rng),
      result,
      mos: round(between(rng, mosLow, mosHigh), 2),
      jitter: round(between(rng, 1, jitterHigh), 1),
      packetLoss: round(between(rng, 0, lossHigh), 2),
      rtt: Math.round(client.user.location.baseRtt + between(rng, 0, result === "FAIL" ? 400 : 60)),
      startSec: start / 1000 + Math.floor(rng() * (span / 1000)),
    });
  }
  return tests.sort((a, b) => a.startSec - b.startSec || (a.testId < b.testId ? -1 : 1));
}
