// The one table of DXP endpoints and query-parameter names (../shared/dxp-api.md).
// Every path the client calls and the simulator serves comes from here. Entries marked
// "inferred" are our best reading of the platform: correcting one is one edit here.
import { InputError } from "../errors.ts";
import { DIMENSION_PARAMS } from "./dimensions.ts";

/** The external API prefix (seen: /dapi/user/search). The web UI uses /dashboardapi. */
export const API_PREFIX = "dapi";

export type Evidence = "seen" | "inferred";

export interface Endpoint {
  readonly method: "GET" | "POST";
  /** Relative to the API prefix (or the instance root when `root` is set); `{name}` marks a path parameter. */
  readonly path: string;
  readonly evidence: Evidence;
  /** Lives at the instance root, outside the API prefix. */
  readonly root?: boolean;
  /** Evidence for the answer's shape when it differs from the path's (a seen path with inferred fields). */
  readonly fields?: Evidence;
  /** Answers without a `tenant` parameter (the tenant list); any other endpoint requires one. */
  readonly anyTenant?: boolean;
}

export const ENDPOINTS = {
  tokenRefresh: { method: "POST", path: "aapi/jwt/token/refresh", evidence: "inferred", root: true },
  sessionSummary: { method: "GET", path: "session/summary", evidence: "seen" },
  sessionSummaryByQuality: { method: "GET", path: "session/summary/nectarscore", evidence: "seen" },
  sessionInsights: { method: "GET", path: "session/summary/insights", evidence: "seen" },
  qualityByMedia: { method: "GET", path: "quality/session/{media}", evidence: "seen" },
  histogram: { method: "GET", path: "quality/nectarscore/bar/graph", evidence: "seen" },
  qualityMap: { method: "GET", path: "quality/map", evidence: "inferred" },
  /** orderByField startDate|duration|nectarScore seen in the UI; jitter|packetLoss|roundTripDelay inferred. */
  sessions: { method: "GET", path: "session", evidence: "seen" },
  // Session list and one session: the fields of dxp-api.md are seen; the per-session
  // networkType, captureDevice, clientType, clientVersion, server and carrier (list and
  // one session) and the `streams` legs of one session are inferred.
  session: { method: "GET", path: "session/{id}", evidence: "seen", fields: "inferred" },
  /** `{ elements: [{ code, severity, streamId, message }] }`: element fields inferred. */
  sessionDiagnostics: { method: "GET", path: "session/{id}/diagnostics", evidence: "seen", fields: "inferred" },
  /** `{ elements: [session list items] }`: other legs of the same conference or journey. */
  sessionRelated: { method: "GET", path: "session/{id}/related", evidence: "seen" },
  /**
   * Sessions grouped by one dimension (`groupBy`, BREAKDOWN_DIMENSIONS) with quality counts
   * and metrics. Inferred: the UI shows these breakdowns, no public trace names the call.
   */
  sessionBreakdown: { method: "GET", path: "session/summary/breakdown", evidence: "inferred" },
  userSearch: { method: "GET", path: "user/search", evidence: "seen" },
  user: { method: "GET", path: "user/{userId}", evidence: "seen" },
  pinnedUsers: { method: "GET", path: "user/pinned", evidence: "seen" },
  // One user's summaries (seen paths, inferred shapes). quantity: `{ totalCount, modalities,
  // platforms: [{ name, count }] }`; quality: `{ good, average, poor, unknown, all,
  // avgNectarScore }`; the rest: `[{ name, sessions: { good, … all }, avgNectarScore }]`.
  userSummaryQuantity: { method: "GET", path: "user/{userId}/summary/quantity", evidence: "seen", fields: "inferred" },
  userSummaryQuality: { method: "GET", path: "user/{userId}/summary/quality", evidence: "seen", fields: "inferred" },
  userSummaryServers: { method: "GET", path: "user/{userId}/summary/server", evidence: "seen", fields: "inferred" },
  userSummaryDevices: { method: "GET", path: "user/{userId}/summary/devices", evidence: "seen", fields: "inferred" },
  userSummaryClientTypes: { method: "GET", path: "user/{userId}/summary/client/types", evidence: "seen", fields: "inferred" },
  userSummaryNetworkTypes: { method: "GET", path: "user/{userId}/summary/network/types", evidence: "seen", fields: "inferred" },
  locations: { method: "GET", path: "location", evidence: "inferred" },
  tenants: { method: "GET", path: "tenant", evidence: "inferred", anyTenant: true },
  tenantPlatforms: { method: "GET", path: "tenant/platforms", evidence: "inferred" },
  endpointTestCount: { method: "GET", path: "testing/entities/count", evidence: "inferred" },
  /** Rows as dxp-api.md lists them, plus each endpoint client's `network` (inferred field). */
  endpointTestSummaries: { method: "GET", path: "testing/entities/summary", evidence: "inferred" },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/**
 * Query-parameter names. `tenant`, paging and `timePeriod` are seen; the rest inferred.
 * List values go comma-separated; a value holding a comma or a quote is quoted CSV-style
 * ("Washington, D.C." → `"Washington, D.C."`), see query.ts joinList/splitList.
 */
export const PARAMS = {
  tenant: "tenant",
  pageNumber: "pageNumber",
  pageSize: "pageSize",
  orderByField: "orderByField",
  orderDirection: "orderDirection",
  timePeriod: "timePeriod",
  /** With timePeriod=CUSTOM: ISO-8601 UTC bounds (inferred). */
  from: "startDateFrom",
  to: "startDateTo",
  interval: "interval",
  search: "q",
  testResults: "results",
  // The breakdown's grouping (inferred name).
  groupBy: "groupBy",
  // Session filter and drill-down dimensions, comma-separated lists (inferred names): dimensions.ts.
  ...DIMENSION_PARAMS,
} as const;

/** The value of `timePeriod` that means "use startDateFrom/startDateTo" (inferred). */
export const CUSTOM_TIME_PERIOD = "CUSTOM";

/** Fill `{name}` placeholders with URI-encoded values, so a value can never add a path segment. */
export function endpointPath(endpoint: Endpoint, params: Record<string, string> = {}): string {
  return endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    try {
      return encodeURIComponent(value);
    } catch {
      // A lone UTF-16 surrogate cannot be sent in a URL (URIError): the caller's text is broken.
      throw new InputError(
        `The ${name === "id" ? "session id" : name} is not valid text: it holds a broken (unpaired surrogate) character.`,
        "Pass the id exactly as a list tool returned it (get_detailed_session_list, get_users).",
      );
    }
  });
}
