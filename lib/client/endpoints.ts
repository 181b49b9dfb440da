// The one table of DXP endpoints and query-parameter names (../shared/dxp-api.md).
// Every path the client calls and the simulator serves comes from here. Entries marked
// "inferred" are our best reading of the platform: correcting one is one edit here.

/** The external API prefix (seen: /dapi/user/search). The web UI uses /dashboardapi. */
export const API_PREFIX = "dapi";

export type Evidence = "seen" | "inferred";

export interface Endpoint {
  readonly method: "GET" | "POST";
  /** Relative to the API prefix (or the instance root when `root` is set); `{name}` marks a path parameter. */
  readonly path: string;
  readonly evidence: Evidence;
  /** Answers with the paged envelope `{ totalPages, totalElements, pageNumber, pageSize, elements }`. */
  readonly paged?: boolean;
  /** Lives at the instance root, outside the API prefix. */
  readonly root?: boolean;
}

export const ENDPOINTS = {
  tokenRefresh: { method: "POST", path: "aapi/jwt/token/refresh", evidence: "inferred", root: true },
  sessionSummary: { method: "GET", path: "session/summary", evidence: "seen" },
  sessionSummaryByQuality: { method: "GET", path: "session/summary/nectarscore", evidence: "seen" },
  sessionInsights: { method: "GET", path: "session/summary/insights", evidence: "seen" },
  qualityByMedia: { method: "GET", path: "quality/session/{media}", evidence: "seen" },
  histogram: { method: "GET", path: "quality/nectarscore/bar/graph", evidence: "seen" },
  qualityMap: { method: "GET", path: "quality/map", evidence: "inferred" },
  sessions: { method: "GET", path: "session", evidence: "seen", paged: true },
  session: { method: "GET", path: "session/{id}", evidence: "seen" },
  userSearch: { method: "GET", path: "user/search", evidence: "seen", paged: true },
  user: { method: "GET", path: "user/{userId}", evidence: "seen" },
  pinnedUsers: { method: "GET", path: "user/pinned", evidence: "seen", paged: true },
  locations: { method: "GET", path: "location", evidence: "inferred", paged: true },
  tenants: { method: "GET", path: "tenant", evidence: "inferred" },
  tenantPlatforms: { method: "GET", path: "tenant/platforms", evidence: "inferred" },
  endpointTestCount: { method: "GET", path: "testing/entities/count", evidence: "inferred" },
  endpointTestSummaries: { method: "GET", path: "testing/entities/summary", evidence: "inferred", paged: true },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** Query-parameter names. `tenant`, paging and `timePeriod` are seen; the rest inferred. */
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
  // Session filter dimensions, comma-separated lists (inferred names).
  platforms: "platforms",
  modalities: "modalities",
  sessionTypes: "sessionTypes",
  sessionScenarios: "sessionScenarios",
  qualities: "qualities",
  locations: "locations",
  users: "users",
  testResults: "results",
} as const;

/** The value of `timePeriod` that means "use startDateFrom/startDateTo" (inferred). */
export const CUSTOM_TIME_PERIOD = "CUSTOM";

/** Fill `{name}` placeholders with URI-encoded values, so a value can never add a path segment. */
export function endpointPath(endpoint: Endpoint, params: Record<string, string> = {}): string {
  return endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
