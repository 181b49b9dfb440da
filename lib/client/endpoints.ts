// The one table of DXP endpoints and query-parameter names (../shared/dxp-api.md).
// Every path the client calls and the simulator serves comes from here. Entries marked
// "inferred" are our best reading of the platform: correcting one is one edit here, or,
// for an operator, one line of a NECTAR_DXP_ENDPOINTS file (endpoint-overrides.ts); the
// `doctor` command checks every row against a live DXP (docs/doctor.md).
//
// Evidence, 2026-12 look (a UI test suite's recorded calls, a public Python /dapi client, the
// Nectar10 PowerShell module's function list, Nectar's support pages): every "seen" row
// confirmed; new: GET /user/{id}/advanced (userAdvanced below). The UI offers a "Month To
// Now" period, but no API trace shows its value, so MONTH_TO_NOW is not in vocabulary.ts.
import { InputError } from "../errors.ts";
import { DIMENSION_KEYS, DIMENSION_PARAMS } from "./dimensions.ts";

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
  /** The query parameters it takes besides `tenant` (keys of PARAMS): the simulator's /dapi/doc and doctor's check read them. */
  readonly query?: readonly ParamKey[];
  /** No tool depends on it (a seen path we do not call yet, or an extra such as the data's freshness): doctor reports it, a failure is not fatal. */
  readonly optional?: boolean;
}

const WINDOW = ["timePeriod", "from", "to"] as const;
const PAGE = ["pageNumber", "pageSize", "orderByField", "orderDirection"] as const;
/** A window and the whole session filter. */
const SESSIONS = [...WINDOW, ...DIMENSION_KEYS] as const;

export const ENDPOINTS = {
  /**
   * The DXP's own API description (seen: a live instance serves it; OpenAPI or Swagger,
   * format unknown). Read by doctor only.
   */
  apiDoc: { method: "GET", path: "doc", evidence: "seen", anyTenant: true, optional: true },
  /**
   * Inferred path and fields. Seen: access/refresh token pairs are created in the DXP's
   * Account Settings with a validity in days; one public client authenticates with HTTP
   * Basic instead (we send Bearer).
   */
  tokenRefresh: { method: "POST", path: "aapi/jwt/token/refresh", evidence: "inferred", root: true },
  sessionSummary: { method: "GET", path: "session/summary", evidence: "seen", query: SESSIONS },
  sessionSummaryByQuality: { method: "GET", path: "session/summary/nectarscore", evidence: "seen", query: SESSIONS },
  sessionInsights: { method: "GET", path: "session/summary/insights", evidence: "seen", query: SESSIONS },
  qualityByMedia: { method: "GET", path: "quality/session/{media}", evidence: "seen", query: SESSIONS },
  histogram: {
    method: "GET",
    path: "quality/nectarscore/bar/graph",
    evidence: "seen",
    query: [...SESSIONS, "interval"],
  },
  qualityMap: { method: "GET", path: "quality/map", evidence: "inferred", query: SESSIONS },
  /** orderByField startDate|duration|nectarScore seen in the UI; jitter|packetLoss|roundTripDelay inferred. */
  sessions: { method: "GET", path: "session", evidence: "seen", query: [...SESSIONS, ...PAGE] },
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
  sessionBreakdown: {
    method: "GET",
    path: "session/summary/breakdown",
    evidence: "inferred",
    query: [...SESSIONS, "groupBy"],
  },
  userSearch: { method: "GET", path: "user/search", evidence: "seen", query: ["search", ...PAGE] },
  user: { method: "GET", path: "user/{userId}", evidence: "seen" },
  /**
   * Seen (a public UI test suite's recorded calls and a public /dapi client): the user's
   * advanced details. Fields unknown; no tool reads it yet.
   */
  userAdvanced: { method: "GET", path: "user/{userId}/advanced", evidence: "seen", fields: "inferred", optional: true },
  pinnedUsers: { method: "GET", path: "user/pinned", evidence: "seen", query: [...WINDOW, ...PAGE] },
  // One user's summaries (seen paths, inferred shapes). quantity: `{ totalCount, modalities,
  // platforms: [{ name, count }] }`; quality: `{ good, average, poor, unknown, all,
  // avgNectarScore }`; the rest: `[{ name, sessions: { good, … all }, avgNectarScore }]`.
  userSummaryQuantity: {
    method: "GET",
    path: "user/{userId}/summary/quantity",
    evidence: "seen",
    fields: "inferred",
    query: SESSIONS,
  },
  userSummaryQuality: {
    method: "GET",
    path: "user/{userId}/summary/quality",
    evidence: "seen",
    fields: "inferred",
    query: SESSIONS,
  },
  userSummaryServers: {
    method: "GET",
    path: "user/{userId}/summary/server",
    evidence: "seen",
    fields: "inferred",
    query: SESSIONS,
  },
  userSummaryDevices: {
    method: "GET",
    path: "user/{userId}/summary/devices",
    evidence: "seen",
    fields: "inferred",
    query: SESSIONS,
  },
  userSummaryClientTypes: {
    method: "GET",
    path: "user/{userId}/summary/client/types",
    evidence: "seen",
    fields: "inferred",
    query: SESSIONS,
  },
  userSummaryNetworkTypes: {
    method: "GET",
    path: "user/{userId}/summary/network/types",
    evidence: "seen",
    fields: "inferred",
    query: SESSIONS,
  },
  locations: { method: "GET", path: "location", evidence: "inferred", query: ["search", ...PAGE] },
  tenants: { method: "GET", path: "tenant", evidence: "inferred", anyTenant: true },
  tenantPlatforms: { method: "GET", path: "tenant/platforms", evidence: "inferred" },
  endpointTestCount: {
    method: "GET",
    path: "testing/entities/count",
    evidence: "inferred",
    query: [...WINDOW, "locations", "users", "testResults"],
  },
  /** Rows as dxp-api.md lists them, plus each endpoint client's `network` (inferred field). */
  endpointTestSummaries: {
    method: "GET",
    path: "testing/entities/summary",
    evidence: "inferred",
    query: [...WINDOW, "locations", "users", "testResults", ...PAGE],
  },
  /**
   * How far the analytics (the datamart) lag behind real time: `{ lastUpdated, lagSeconds,
   * status }`. Inferred: the platform shows a datamart lag/status, no public trace names the
   * call. Optional: answers say how fresh the data is only when it answers.
   */
  datamartStatus: { method: "GET", path: "datamart/status", evidence: "inferred", optional: true },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;
export type ParamKey = keyof typeof PARAMS;

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
    // encodeURIComponent leaves "." alone, and the URL parser reads "." and ".." as moves
    // (session/../diagnostics is /dapi/diagnostics): such a value names no resource.
    if (value === "" || value === "." || value === "..") {
      throw new InputError(
        `The ${name === "id" ? "session id" : name} ${value === "" ? "is empty" : `"${value}" is not an id`}.`,
        "Pass the id exactly as a list tool returned it (get_detailed_session_list, get_users).",
      );
    }
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

/** The table as one DXP uses it: ours, or ours with an operator's overrides (endpoint-overrides.ts). */
export interface ApiTable {
  readonly endpoints: { readonly [K in EndpointName]: Endpoint };
  readonly params: { readonly [K in ParamKey]: string };
  /** What the overrides changed, e.g. `locations: GET location → GET sites` (empty without overrides). */
  readonly overridden: readonly string[];
}

export const DEFAULT_API: ApiTable = { endpoints: ENDPOINTS, params: PARAMS, overridden: [] };

/** An endpoint's path as the DXP serves it, from the instance root: `/dapi/session/{id}`. */
export const fullPath = (endpoint: Endpoint): string => `/${endpoint.root ? "" : `${API_PREFIX}/`}${endpoint.path}`;
