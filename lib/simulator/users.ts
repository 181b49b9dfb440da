// A tenant's people, drawn from the catalogue's names at its locations, and what a
// tenant's generation is asked for (shared by the users', sessions' and tests' draws).
import { type CatalogueLocation, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, LOCATIONS } from "./catalogue.ts";
import { userDevice } from "./equipment.ts";
import { hashSeed, pick, type Rng, uuid } from "./random.ts";

export interface GenerateOptions {
  seed: number;
  anchor: number;
  days: number;
  sessions: number;
  tests: number;
}

export interface SimUser {
  readonly userId: string;
  readonly displayName: string;
  readonly email: string;
  readonly location: CatalogueLocation;
  readonly department: string;
  /** The user's own headset (an index into equipment.ts DEVICES). */
  readonly device: number;
}

export function generateUsers(rng: Rng, tenant: string): SimUser[] {
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
