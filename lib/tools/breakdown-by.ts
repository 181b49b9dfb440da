// The dimensions a session breakdown groups by (get_quality_breakdown's `by`, the
// histogram's `by`, find_quality_changes): the DXP's groupBy, the filter that narrows a call
// to one group, and the argument a hint repeats to do the same.
import type { SessionQuery } from "../client/query.ts";
import type { ListKey } from "../client/dimensions.ts";
import { SESSION_TYPE_SPELLINGS, type BreakdownDimension } from "../client/vocabulary.ts";

interface ByDimension {
  upstream: BreakdownDimension;
  /** The query narrowed to one group (its name as the breakdown gives it). */
  only: (name: string) => SessionQuery;
  /** The filter field that narrows any session tool to one group (a hint repeats it). */
  narrow: ListKey;
  /** One party's side (what they ran, where they were): with a users filter it is theirs. */
  leg: boolean;
}

export const BY_DIMENSIONS = {
  networkType: { upstream: "NETWORK_TYPE", only: (v) => ({ networkTypes: [v] }), narrow: "networkTypes", leg: true },
  device: { upstream: "DEVICE", only: (v) => ({ devices: [v] }), narrow: "devices", leg: true },
  clientType: { upstream: "CLIENT_TYPE", only: (v) => ({ clientTypes: [v] }), narrow: "clientTypes", leg: true },
  clientVersion: { upstream: "CLIENT_VERSION", only: (v) => ({ clientVersions: [v] }), narrow: "clientVersions", leg: true },
  platform: { upstream: "PLATFORM", only: (v) => ({ platforms: [v] }) as SessionQuery, narrow: "platforms", leg: false },
  sessionType: {
    upstream: "SESSION_TYPE",
    only: (v) => ({ sessionTypes: SESSION_TYPE_SPELLINGS[v] ?? [v] }) as SessionQuery,
    narrow: "sessionTypes", leg: false,
  },
  sessionScenario: { upstream: "SESSION_SCENARIO", only: (v) => ({ sessionScenarios: [v] }) as SessionQuery, narrow: "sessionScenarios", leg: false },
  carrier: { upstream: "CARRIER", only: (v) => ({ carriers: [v] }), narrow: "carriers", leg: false },
  server: { upstream: "SERVER", only: (v) => ({ servers: [v] }), narrow: "servers", leg: false },
  user: { upstream: "USER", only: (v) => ({ users: [v] }), narrow: "users", leg: false },
  location: { upstream: "LOCATION", only: (v) => ({ locations: [v] }), narrow: "locations", leg: true },
} as const satisfies Record<string, ByDimension>;

export type By = keyof typeof BY_DIMENSIONS;
export const BY = Object.keys(BY_DIMENSIONS) as [By, ...By[]];
