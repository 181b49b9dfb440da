// The dimensions a session breakdown groups by (get_quality_breakdown's `by`, the
// histogram's `by`, find_quality_changes): the DXP's groupBy, the filter field that narrows a
// call to one group (a hint repeats it), and whether the group is one party's side.

import type { ListKey } from "../client/dimensions.ts";
import type { SessionQuery } from "../client/query.ts";
import { type BreakdownDimension, SESSION_TYPE_SPELLINGS } from "../client/vocabulary.ts";

interface ByDimension {
  upstream: BreakdownDimension;
  /** The filter field that narrows any session tool to one group. */
  narrow: ListKey;
  /** One party's side (what they ran, where they were): with a users filter it is theirs. */
  leg: boolean;
}

export const BY_DIMENSIONS = {
  networkType: { upstream: "NETWORK_TYPE", narrow: "networkTypes", leg: true },
  device: { upstream: "DEVICE", narrow: "devices", leg: true },
  clientType: { upstream: "CLIENT_TYPE", narrow: "clientTypes", leg: true },
  clientVersion: { upstream: "CLIENT_VERSION", narrow: "clientVersions", leg: true },
  platform: { upstream: "PLATFORM", narrow: "platforms", leg: false },
  sessionType: { upstream: "SESSION_TYPE", narrow: "sessionTypes", leg: false },
  sessionScenario: { upstream: "SESSION_SCENARIO", narrow: "sessionScenarios", leg: false },
  carrier: { upstream: "CARRIER", narrow: "carriers", leg: false },
  server: { upstream: "SERVER", narrow: "servers", leg: false },
  user: { upstream: "USER", narrow: "users", leg: false },
  location: { upstream: "LOCATION", narrow: "locations", leg: true },
} as const satisfies Record<string, ByDimension>;

export type By = keyof typeof BY_DIMENSIONS;
export const BY = Object.keys(BY_DIMENSIONS) as [By, ...By[]];

/** The query narrowed to one group, named as the breakdown gives it (a session type in each of its spellings). */
export function onlyGroup(by: By, name: string): SessionQuery {
  const { narrow } = BY_DIMENSIONS[by];
  return { [narrow]: narrow === "sessionTypes" ? (SESSION_TYPE_SPELLINGS[name] ?? [name]) : [name] } as SessionQuery;
}
