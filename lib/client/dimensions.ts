// The one table of session filter dimensions. The tools' input schemas (lib/filter.ts,
// lib/tools/drill.ts), the DXP query parameters (query.ts, endpoints.ts PARAMS) and the
// simulator's parsing (lib/simulator/query.ts) all derive from it: adding or renaming a
// dimension is one edit here.
import { MODALITIES, NETWORK_TYPES, PLATFORMS, QUALITIES, SESSION_SCENARIOS, SESSION_TYPES } from "./vocabulary.ts";

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
   * Drill dimensions are not part of the saved session filter: the breakdown names one group
   * of them and the session list narrows to it with this singular argument.
   */
  readonly drill?: string;
}

export const DIMENSIONS = {
  // The seven list dimensions of the session filter.
  platforms: { param: "platforms", values: PLATFORMS, one: "platform" },
  modalities: { param: "modalities", values: MODALITIES, one: "modality" },
  sessionTypes: { param: "sessionTypes", values: SESSION_TYPES, one: "session type", hint: "PEER2PEER = PEER_TO_PEER" },
  sessionScenarios: { param: "sessionScenarios", values: SESSION_SCENARIOS, one: "scenario" },
  qualities: { param: "qualities", values: QUALITIES, one: "quality", hint: "CRITICAL = poor" },
  locations: { param: "locations", one: "location", hint: "location names or ids" },
  /** Matches either party of a session (the caller or the callee), by email, name or id. */
  users: { param: "users", one: "user", hint: "emails, names or ids; either party" },
  // Drill-down dimensions: a breakdown's group, values as the breakdown names them.
  networkTypes: { param: "networkTypes", values: NETWORK_TYPES, one: "network type", drill: "networkType" },
  devices: { param: "devices", one: "device", drill: "device" },
  clientVersions: { param: "clientVersions", one: "client version", drill: "clientVersion" },
  carriers: { param: "carriers", one: "carrier", drill: "carrier" },
  clientTypes: { param: "clientTypes", one: "client type", drill: "clientType" },
  servers: { param: "servers", one: "server", drill: "server" },
} as const satisfies Record<string, Dimension>;

export type DimensionKey = keyof typeof DIMENSIONS;
export const DIMENSION_KEYS = Object.keys(DIMENSIONS) as DimensionKey[];

type ListDimension = { [K in DimensionKey]: (typeof DIMENSIONS)[K] extends { drill: string } ? never : K }[DimensionKey];
type DrillDimension = Exclude<DimensionKey, ListDimension>;

/** The session filter's list dimensions, in the table's order. */
export const LIST_KEYS = DIMENSION_KEYS.filter((key) => !("drill" in DIMENSIONS[key])) as ListDimension[];
export type ListKey = ListDimension;

/** The drill dimensions, in the table's order. */
export const DRILL_KEYS = DIMENSION_KEYS.filter((key) => "drill" in DIMENSIONS[key]) as DrillDimension[];
export type DrillKey = DrillDimension;

/** A dimension's query parameter, by key: `{ platforms: "platforms", … }`. */
export const DIMENSION_PARAMS = Object.fromEntries(DIMENSION_KEYS.map((key) => [key, DIMENSIONS[key].param])) as {
  readonly [K in DimensionKey]: (typeof DIMENSIONS)[K]["param"];
};
