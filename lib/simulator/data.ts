// The deterministic dataset of one tenant: users, sessions and endpoint-client tests,
// drawn from one PRNG seeded by (seed, tenant) over `days` days ending at the anchor.
import { PLATFORMS, type Platform } from "../client/vocabulary.ts";
import { DAY_MS, TENANT_PLATFORMS } from "./catalogue.ts";
import { generateTests, type SimTest } from "./endpoint-tests.ts";
import { hashSeed, mulberry32 } from "./random.ts";
import { generateSessions, type SimSession } from "./sessions.ts";
import { type GenerateOptions, generateUsers, type SimUser } from "./users.ts";

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
  // So do the time-bound stories (stories.ts): a third stream, drawn only for the sessions they touch.
  const storiesRng = mulberry32(hashSeed(options.seed, tenant, "stories"));
  const sessions = generateSessions(rng, users, enabled, start, options, equipmentRng, storiesRng);
  const tests = generateTests(rng, users, start, options);
  return {
    name: tenant,
    anchor: options.anchor,
    idSeed: hashSeed(options.seed, tenant, "ids"),
    platforms,
    users,
    sessions,
    tests,
  };
}
