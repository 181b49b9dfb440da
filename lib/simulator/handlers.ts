// One function per endpoint of the table (except the token refresh, which routes.ts
// serves at the instance root). Each takes the parsed request and returns the JSON body.
import type { EndpointName } from "../client/endpoints.ts";
import { PARAMS } from "../client/endpoints.ts";
import type { Paged, TenantPlatforms } from "../client/schemas.ts";
import {
  BREAKDOWN_DIMENSIONS,
  HISTOGRAM_INTERVALS,
  MEDIA_KINDS,
  type MediaKind,
  SESSION_ORDER_FIELDS,
  type SessionOrderField,
} from "../client/vocabulary.ts";
import {
  byModality,
  byQuality,
  histogram,
  insights,
  type PinnedUser,
  pinnedUsers,
  qualityByMedia,
  qualityMap,
} from "./aggregate.ts";
import type { AccessClaims } from "./auth.ts";
import { LOCATIONS } from "./catalogue.ts";
import type { TenantData } from "./data.ts";
import {
  breakdown,
  diagnosticsJson,
  grouperFor,
  relatedSessions,
  streamsJson,
  USER_GROUPERS,
  userBreakdown,
  userQuality,
  userQuantity,
  userSessions,
} from "./drilldown.ts";
import { notFound } from "./http.ts";
import {
  choiceParam,
  fold,
  inWindow,
  listParam,
  parsePaging,
  parseSessionFilter,
  parseTestFilter,
  parseWindow,
  toPage,
} from "./query.ts";
import { locationListJson, sessionJson, testJson, userJson } from "./render.ts";
import { type SimSession, sessionId } from "./sessions.ts";
import type { SimUser } from "./users.ts";

/** Every endpoint but the token refresh and the API description (routes.ts serves both). */
export type ApiEndpoint = Exclude<EndpointName, "tokenRefresh" | "apiDoc">;

export interface ApiRequest {
  readonly query: URLSearchParams;
  /** Path parameters by the names in the endpoint table, decoded. */
  readonly path: Record<string, string>;
  readonly now: number;
  readonly claims: AccessClaims;
  /** The simulator's tenants. */
  readonly tenants: readonly string[];
  /** The data of the request's `tenant` (checked by the router before any handler runs). */
  data(): TenantData;
}

/** The tenant's sessions (or endpoint tests) in the request's window that pass its filters, ascending by start. */
function select<T extends { startSec: number }>(
  req: ApiRequest,
  parseFilter: (query: URLSearchParams) => (item: T) => boolean,
  of: (data: TenantData) => readonly T[],
): T[] {
  const filter = parseFilter(req.query);
  return inWindow(of(req.data()), parseWindow(req.query, req.now)).filter(filter);
}
const selectSessions = (req: ApiRequest) => select(req, parseSessionFilter, (data) => data.sessions);
const selectTests = (req: ApiRequest) => select(req, parseTestFilter, (data) => data.tests);

const SORT_KEYS: Record<SessionOrderField, (s: SimSession) => number | null> = {
  startDate: (s) => s.startSec,
  duration: (s) => s.duration,
  nectarScore: (s) => s.nectarScore,
  jitter: (s) => s.jitter10,
  packetLoss: (s) => s.loss100,
  roundTripDelay: (s) => s.rtt,
};

/** Sort by the field; sessions without a value go last either way; ties newest first. */
function sortSessions(sessions: SimSession[], field: SessionOrderField, direction: "asc" | "desc"): SimSession[] {
  const key = SORT_KEYS[field];
  const sign = direction === "asc" ? 1 : -1;
  return sessions.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return sign * (ka - kb);
    }
    return b.startSec - a.startSec || a.index - b.index;
  });
}

/** Session ids are derived, not stored: index them once per tenant, on first lookup. */
const idIndexes = new WeakMap<TenantData, Map<string, SimSession>>();
function findSession(data: TenantData, id: string): SimSession | undefined {
  let index = idIndexes.get(data);
  if (!index) {
    index = new Map(data.sessions.map((s) => [sessionId(data, s), s]));
    idIndexes.set(data, index);
  }
  return index.get(id);
}

function requireSession(req: ApiRequest): SimSession {
  const session = findSession(req.data(), req.path.id ?? "");
  if (!session) throw notFound(`No session ${req.path.id} in tenant ${req.data().name}.`);
  return session;
}

function requireUser(req: ApiRequest): SimUser {
  const id = req.path.userId ?? "";
  const user = req.data().users.find((u) => u.userId === id || u.email === id.toLowerCase());
  if (!user) throw notFound(`No user ${id} in tenant ${req.data().name}.`);
  return user;
}

/** The user's sessions (either side) in the window; the session filters apply too. */
function selectUserSessions(req: ApiRequest): { user: SimUser; sessions: SimSession[] } {
  const user = requireUser(req);
  return { user, sessions: userSessions(selectSessions(req), user) };
}

function userSummary(req: ApiRequest, of: (s: SimSession, user: SimUser) => string) {
  const { user, sessions } = selectUserSessions(req);
  return userBreakdown(sessions, user, of);
}

const search = (req: ApiRequest) => fold(req.query.get(PARAMS.search)?.trim() ?? "");

export const HANDLERS: { readonly [K in ApiEndpoint]: (req: ApiRequest) => unknown } = {
  sessionSummary: (req) => byModality(selectSessions(req)),
  sessionSummaryByQuality: (req) => byQuality(selectSessions(req)),
  sessionInsights: (req) => insights(selectSessions(req)),
  qualityByMedia: (req) => {
    const media = req.path.media ?? "";
    if (!MEDIA_KINDS.includes(media as MediaKind))
      throw notFound(`Unknown media "${media}"; expected one of ${MEDIA_KINDS.join(", ")}.`);
    return qualityByMedia(selectSessions(req), media as MediaKind);
  },
  histogram: (req) => {
    const interval = choiceParam(req.query, PARAMS.interval, HISTOGRAM_INTERVALS, "DAY");
    return histogram(selectSessions(req), parseWindow(req.query, req.now), interval);
  },
  qualityMap: (req) => qualityMap(selectSessions(req)),
  sessions: (req) => {
    const paging = parsePaging(req.query, SESSION_ORDER_FIELDS);
    const sorted = sortSessions(selectSessions(req), paging.orderByField, paging.orderDirection);
    return toPage(sorted, paging, (s) => sessionJson(req.data(), s));
  },
  session: (req) => {
    const data = req.data();
    const session = requireSession(req);
    return { ...sessionJson(data, session), streams: streamsJson(data, session, data.anchor) };
  },
  sessionDiagnostics: (req) => diagnosticsJson(req.data(), requireSession(req), req.data().anchor),
  sessionRelated: (req) => ({
    elements: relatedSessions(req.data(), requireSession(req)).map((s) => sessionJson(req.data(), s)),
  }),
  sessionBreakdown: (req) => {
    const by = choiceParam(req.query, PARAMS.groupBy, BREAKDOWN_DIMENSIONS);
    return breakdown(selectSessions(req), by, grouperFor(by, listParam(req.query, PARAMS.users)?.map(fold)));
  },
  userSearch: (req) => {
    const paging = parsePaging(req.query);
    const q = search(req);
    const users = req
      .data()
      .users.filter((u) => !q || [u.displayName, u.email, u.location.name].some((field) => fold(field).includes(q)))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
    return toPage(users, paging, userJson);
  },
  user: (req) => userJson(requireUser(req)),
  userAdvanced: (req) => userJson(requireUser(req)),
  userSummaryQuantity: (req) => userQuantity(selectUserSessions(req).sessions),
  userSummaryQuality: (req) => userQuality(selectUserSessions(req).sessions),
  userSummaryServers: (req) => userSummary(req, USER_GROUPERS.server),
  userSummaryDevices: (req) => userSummary(req, USER_GROUPERS.devices),
  userSummaryClientTypes: (req) => userSummary(req, USER_GROUPERS.clientTypes),
  userSummaryNetworkTypes: (req) => userSummary(req, USER_GROUPERS.networkTypes),
  pinnedUsers: (req): Paged<PinnedUser> => {
    const paging = parsePaging(req.query);
    return toPage(pinnedUsers(selectSessions(req)), paging, (u) => u);
  },
  locations: (req) => {
    const paging = parsePaging(req.query);
    const q = search(req);
    const locations = LOCATIONS.filter(
      (l) => !q || [l.name, l.city, l.country].some((field) => fold(field).includes(q)),
    );
    return toPage(locations, paging, locationListJson);
  },
  tenants: (req): string[] => req.claims.tenants.filter((t) => req.tenants.includes(t)),
  tenantPlatforms: (req): TenantPlatforms => req.data().platforms.map((p) => ({ ...p })),
  endpointTestCount: (req) => ({ count: selectTests(req).length }),
  // The data ends at the anchor hour: that is when the simulated datamart was last loaded.
  datamartStatus: (req) => ({
    lastUpdated: new Date(req.data().anchor).toISOString(),
    lagSeconds: Math.max(0, Math.round((req.now - req.data().anchor) / 1000)),
    status: "OK",
  }),
  endpointTestSummaries: (req) => {
    const paging = parsePaging(req.query);
    return toPage(selectTests(req).reverse(), paging, testJson);
  },
};
