// The dimensions a session breakdown groups by (get_quality_breakdown's `by`, the
// histogram's `by`, find_quality_changes): the DXP's groupBy, the filter that narrows a call
// to one group, and the argument a hint repeats to do the same.
import type { SessionQuery } from "../client/query.ts";
import { SESSION_TYPE_SPELLINGS, type BreakdownDimension } from "../client/vocabulary.ts";

interface ByDimension {
  upstream: BreakdownDimension;
  /** The query narrowed to one group (its name as the breakdown gives it). */
  only: (name: string) => SessionQuery;
  /** The argument that narrows the session list to one group; null where the list has none. */
  narrow: ((v: string) => string) | null;
}

export const BY_DIMENSIONS = {
  networkType: { upstream: "NETWORK_TYPE", only: (v) => ({ networkTypes: [v] }), narrow: (v) => `networkType "${v}"` },
  device: { upstream: "DEVICE", only: (v) => ({ devices: [v] }), narrow: (v) => `device "${v}"` },
  clientType: { upstream: "CLIENT_TYPE", only: (v) => ({ clientTypes: [v] }), narrow: null },
  clientVersion: { upstream: "CLIENT_VERSION", only: (v) => ({ clientVersions: [v] }), narrow: (v) => `clientVersion "${v}"` },
  platform: { upstream: "PLATFORM", only: (v) => ({ platforms: [v] }) as SessionQuery, narrow: (v) => `platforms ["${v}"]` },
  sessionType: {
    upstream: "SESSION_TYPE",
    only: (v) => ({ sessionTypes: SESSION_TYPE_SPELLINGS[v] ?? [v] }) as SessionQuery,
    narrow: (v) => `sessionTypes ["${v}"]`,
  },
  sessionScenario: { upstream: "SESSION_SCENARIO", only: (v) => ({ sessionScenarios: [v] }) as SessionQuery, narrow: (v) => `sessionScenarios ["${v}"]` },
  carrier: { upstream: "CARRIER", only: (v) => ({ carriers: [v] }), narrow: (v) => `carrier "${v}"` },
  server: { upstream: "SERVER", only: (v) => ({ servers: [v] }), narrow: null },
  user: { upstream: "USER", only: (v) => ({ users: [v] }), narrow: (v) => `users ["${v}"]` },
  location: { upstream: "LOCATION", only: (v) => ({ locations: [v] }), narrow: (v) => `locations ["${v}"]` },
} as const satisfies Record<string, ByDimension>;

export type By = keyof typeof BY_DIMENSIONS;
export const BY = Object.keys(BY_DIMENSIONS) as [By, ...By[]];
