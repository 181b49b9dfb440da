// The deterministic dataset of one tenant: users, sessions and endpoint-client tests,
// drawn from one PRNG seeded by (seed, tenant) over `days` days ending at the anchor.
import { PLATFORMS, type Platform } from "../client/vocabulary.ts";
import { DAY_MS, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, LOCATIONS, TENANT_PLATFORMS, type CatalogueLocation } from "./catalogue.ts";
import { generateTests, type SimTest } from "./endpoint-tests.ts";
import { userDevice } from "./equipment.ts";
import { hashSeed, mulberry32, pick, uuid, type Rng } from "./random.ts";
import { generateSessions, type SimSession } from "./sessions.ts";

export interface SimUser {
  readonly userId: string;
  readonly displayName: string;
  readonly email: string;
  readonly location: CatalogueLocation;
  readonly department: string;
  /** The user's own headset (an index into equipment.ts DEVICES). */
  readonly device: number;
}

export interface TenantData {
  readonly name: string;
  /** The hour the data ends at (ms): the planted windows are placed from it. */
  readonly anchor: number;
  /** Seeds the session ids (see sessionId). */
  readonly idSeed: number;
  readonly platforms: readonly { platform: Platform; enabled: boolean }[];
  readonly users: readonly SimUser[];
  /** Ascending by start. */
  readonly sessions: readonly SimSession[];
  /** Ascending by start. */
  readonly tests: readonly SimTest[];
}

export interface GenerateOptions {
  seed: number;
  anchor: number;
  days: number;
  sessions: number;
  tests: number;
}

/** Start of a session or test in ms (they store seconds). */
export const startMs = (item: { startSec: number }) => item.startSec * 1000;

export function generateTenant(tenant: string, options: GenerateOptions): TenantData {
  const rng = mulberry32(hashSeed(options.seed, tenant));
  const enabled = TENANT_PLATFORMS[tenant] ?? TENANT_PLATFORMS.acme!;
  const platforms = PLATFORMS.map((platform) => ({ platform, enabled: enabled.includes(platform) }));
  const users = generateUsers(rng, tenant);
  const start = options.anchor - options.days * DAY_MS;
  // Equipment draws come from their own stream, so adding them left the first stream as it was.
  const equipmentRng = mulberry32(hashSeed(options.seed, tenant, "equipment"));
  const sessions = generateSessions(rng, users, enabled, start, options, equipmentRng);
  const tests = generateTests(rng, users, start, options);
  return { name: tenant, anchor: options.anchor, idSeed: hashSeed(options.seed, tenant, "ids"), platforms, users, sessions, tests };
}

function generateUsers(rng: Rng, tenant: string): SimUser[] {
  const users: SimUser[] = [];
  const taken = new Set<string>();
  for (const location of LOCATIONS) {
    for (let i = 0; i < location.headcount; i++) {
      let first: string, last: string;
      do {
        first = pick(rng, FIRST_NAMES);
        last = pick(rng, LAST_NAMES);
      } while (taken.has(first + last));
      taken.add(first + last);
      users.push({
        userId: uuid(rng),
        displayName: `${first} ${last}`,
        email: `${first}.${last}@${tenant}.example`.toLowerCase(),
        location,
        department: pick(rng, DEPARTMENTS),
        device: userDevice(i, hashSeed(tenant, first, last)),
      });
    }
  }
  return users;
}
