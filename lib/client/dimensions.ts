// The one table of session filter dimensions. The tools' input schemas (lib/filter.ts,
// lib/tool-query/drill.ts), the DXP query parameters (query.ts, endpoints.ts PARAMS) and the
// simulator's parsing (lib/simulator/query.ts) all derive from it: adding or renaming a
// dimension is one edit here.
import {
  type BreakdownDimension,
  MODALITIES,
  NETWORK_TYPES,
  PLATFORMS,
  QUALITIES,
  SESSION_SCENARIOS,
  SESSION_TYPES,
} from "./vocabulary.ts";

export interface Dimension {
  /** The DXP query parameter: a comma-separated list (inferred names). */
  readonly param: string;
  /** Accepted values when the DXP has a fixed vocabulary; free names otherwise. */
  readonly values?: readonly [string, ...string[]];
  /** One value, as error messages name it ("unknown platform …"). */
  readonly one: string;
  /** What a model needs to fill the field, published once (set_session_filter). */
  readonly hint?: string;
  /**
   * The singular argument earlier hints named ("device": one group of a breakdown), still
   * accepted by the breakdown and the session list as one value of this list.
   */
  readonly drill?: string;
  /** Free names the breakdown groups by: a given name is checked against those groups (near matches). */
  readonly group?: BreakdownDimension;
}

export const DIMENSIONS = {
  // The session filter's dimensions: every session tool takes each as a list (issue 20, item 3).
  platforms: { param: "platforms", values: PLATFORMS, one: "platform" },
  modalities: { param: "modalities", values: MODALITIES, one: "modality" },
  sessionTypes: { param: "sessionTypes", values: SESSION_TYPES, one: "session type", hint: "PEER2PEER = PEER_TO_PEER" },
  sessionScenarios: { param: "sessionScenarios", values: SESSION_SCENARIOS, one: "scenario" },
  qualities: { param: "qualities", values: QUALITIES, one: "quality", hint: "CRITICAL = poor" },
  locations: { param: "locations", one: "location", hint: "location names or ids" },
  /** Matches either party of a session (the caller or the callee), by email, name or id. */
  users: { param: "users", one: "user", hint: "emails, names or ids; either party" },
  // Drill-down dimensions: values as the breakdown names its groups.
  networkTypes: { param: "networkTypes", values: NETWORK_TYPES, one: "network type", drill: "networkType" },
  devices: { param: "devices", one: "device", drill: "device", group: "DEVICE" },
  clientVersions: { param: "clientVersions", one: "client version", drill: "clientVersion", group: "CLIENT_VERSION" },
  carriers: { param: "carriers", one: "carrier", drill: "carrier", group: "CARRIER" },
  clientTypes: { param: "clientTypes", one: "client type", drill: "clientType", group: "CLIENT_TYPE" },
  servers: { param: "servers", one: "server", drill: "server", group: "SERVER" },
} as const satisfies Record<string, Dimension>;

export type DimensionKey = keyof typeof DIMENSIONS;
export const DIMENSION_KEYS = Object.keys(DIMENSIONS) as DimensionKey[];

type DrillDimension = {
  [K in DimensionKey]: (typeof DIMENSIONS)[K] extends { drill: string } ? K : never;
}[DimensionKey];

/** The session filter's list dimensions: all of them, in the table's order. */
export const LIST_KEYS = DIMENSION_KEYS;
export type ListKey = DimensionKey;

/** The dimensions with a singular alias (an earlier hint's `device "…"`), in the table's order. */
export const DRILL_KEYS = DIMENSION_KEYS.filter((key) => "drill" in DIMENSIONS[key]) as DrillDimension[];
export type DrillKey = DrillDimension;

/** A dimension's query parameter, by key: `{ platforms: "platforms", … }`. */
export const DIMENSION_PARAMS = Object.fromEntries(DIMENSION_KEYS.map((key) => [key, DIMENSIONS[key].param])) as {
  readonly [K in DimensionKey]: (typeof DIMENSIONS)[K]["param"];
};

/**
 * The parameter that leaves a dimension's values out (`notLocations=Dallas`: every site but
 * Dallas), one per dimension, derived here (inferred names, like the lists themselves).
 */
export const excludeParam = (key: DimensionKey): string =>
  `not${DIMENSIONS[key].param[0]!.toUpperCase()}${DIMENSIONS[key].param.slice(1)}`;
