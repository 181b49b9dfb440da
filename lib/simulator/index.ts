// The embedded Nectar DXP simulator: a Hono app serving the /dapi endpoints of
// ../client/endpoints.ts over a deterministic dataset, with real-looking auth and
// fault injection. Runtime-agnostic: serve `simulator.fetch` with any Fetch-API server.
import type { Hono } from "hono";
import { API_PREFIX, ENDPOINTS } from "../client/endpoints.ts";
import { IssuedTokens } from "./auth.ts";
import {
  DEMO_TENANTS,
  HOUR_MS,
  INCIDENT_REGION,
  incidentWindow,
  LOCATIONS,
  WIFI_TROUBLE_LOCATION,
} from "./catalogue.ts";
import { generateTenant, type TenantData } from "./data.ts";
import { BAD_DEVICE, CARRIERS, DEVICES, INCIDENT_CARRIER, REGRESSED_CLIENT, regressionStart } from "./equipment.ts";
import { defaultFaults, type Faults } from "./faults.ts";
import { hashSeed, mulberry32 } from "./random.ts";
import { type AppContext, createApp, type RecordedRequest } from "./routes.ts";
import { ISP_TROUBLE_LOCATION, SLOW_SERVER, storyWindows } from "./stories.ts";
import type { DxpVariant } from "./variant.ts";

export type { AccessClaims, TokenGrant } from "./auth.ts";
export { DEMO_TENANTS } from "./catalogue.ts";
export type { FaultKind, Faults } from "./faults.ts";
export type { RecordedRequest } from "./routes.ts";
export { roundTrips } from "./routes.ts";
export type { DxpVariant } from "./variant.ts";

export interface SimulatorOptions {
  /** Default 42. */
  seed?: number;
  /** Default 20000. */
  sessionsPerTenant?: number;
  /** Default 30. */
  days?: number;
  /** Clock in ms, default Date.now; data is anchored to now() floored to the hour at creation. */
  now?: () => number;
  /** Default 3600. */
  tokenLifetimeSeconds?: number;
  /** A DXP that differs from our endpoint table (moved or missing paths, renamed or extra fields): doctor's tests. */
  variant?: DxpVariant;
}

export interface Simulator
  extends Pick<
    AppContext,
    "tenants" | "dataset" | "issueTokens" | "setFaults" | "clearFaults" | "requests" | "clearRequests"
  > {
  readonly app: Hono;
  fetch(request: Request): Promise<Response>;
  readonly faults: Faults;
  /** The hour the data ends at (ms). */
  readonly anchor: number;
  /** The planted carrier incident: EXTERNAL sessions at these locations on this carrier's trunk, start inclusive, end exclusive (ms). */
  readonly incident: {
    readonly start: number;
    readonly end: number;
    readonly locations: readonly string[];
    readonly carrier: string;
  };
  /**
   * The other planted causes (equipment.ts): the headset poor at every site, the client version that regresses from `since`;
   * and the time-bound stories (stories.ts): one site's ISP degrading for four hours, one conference relay slow from a day on (ms).
   */
  readonly planted: {
    readonly badDevice: string;
    readonly regressedClient: string;
    readonly regressionSince: number;
    readonly ispTrouble: { readonly location: string; readonly start: number; readonly end: number };
    readonly slowServer: { readonly server: string; readonly since: number };
  };
}

/** Endpoint-client tests per tenant. */
const TESTS_PER_TENANT = 2000;

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const seed = options.seed ?? 42;
  const sessionsPerTenant = options.sessionsPerTenant ?? 20_000;
  const days = options.days ?? 30;
  const now = options.now ?? Date.now;
  const anchor = Math.floor(now() / HOUR_MS) * HOUR_MS;
  const tenants: readonly string[] = DEMO_TENANTS;
  const tokens = new IssuedTokens(now, options.tokenLifetimeSeconds ?? 3600);
  const faults = defaultFaults();
  const requests: RecordedRequest[] = [];
  const datasets = new Map<string, TenantData>();
  const incident = {
    ...incidentWindow(anchor),
    locations: LOCATIONS.filter((l) => l.region === INCIDENT_REGION).map((l) => l.id),
    carrier: CARRIERS[INCIDENT_CARRIER],
  };
  const stories = storyWindows(anchor);
  const planted = {
    badDevice: DEVICES[BAD_DEVICE]!,
    regressedClient: REGRESSED_CLIENT,
    regressionSince: regressionStart(anchor),
    ispTrouble: { location: LOCATIONS.find((l) => l.id === ISP_TROUBLE_LOCATION)!.name, ...stories.isp },
    slowServer: { server: SLOW_SERVER, since: stories.slowServerSince },
  };

  const dataset = (tenant: string): TenantData => {
    let data = datasets.get(tenant);
    if (!data) {
      data = generateTenant(tenant, { seed, anchor, days, sessions: sessionsPerTenant, tests: TESTS_PER_TENANT });
      datasets.set(tenant, data);
    }
    return data;
  };

  const issueTokens: Simulator["issueTokens"] = (o = {}) => {
    const wanted = o.tenants ?? [...tenants];
    const unknown = wanted.filter((t) => !tenants.includes(t));
    if (unknown.length)
      throw new Error(`Unknown tenant ${unknown.join(", ")}; the simulator has ${tenants.join(", ")}.`);
    return tokens.issue({ tenants: wanted, lifetimeSeconds: o.lifetimeSeconds, subject: o.subject });
  };

  const setFaults = (patch: Partial<Faults>) => {
    Object.assign(faults, patch);
    if (patch.failNext) faults.failNext = [...patch.failNext];
  };
  const clearFaults = () => Object.assign(faults, defaultFaults());
  const clearRequests = () => void (requests.length = 0);

  const app = createApp({
    tenants,
    dataset,
    tokens,
    issueTokens,
    faults: () => faults,
    setFaults,
    clearFaults,
    requests,
    clearRequests,
    now,
    faultRng: mulberry32(hashSeed(seed, "faults")),
    variant: options.variant ?? {},
    describe: () => ({
      name: "Nectar DXP simulator",
      tenants,
      apiPrefix: `/${API_PREFIX}`,
      endpoints: Object.fromEntries(
        Object.entries(ENDPOINTS).map(([name, e]) => [
          name,
          `${e.method} /${"root" in e ? "" : `${API_PREFIX}/`}${e.path}`,
        ]),
      ),
      admin: ["GET|DELETE /_sim/requests", "GET|POST|DELETE /_sim/faults", "POST /_sim/tokens"],
      data: {
        seed,
        sessionsPerTenant,
        days,
        anchor: new Date(anchor).toISOString(),
        wifiTrouble: WIFI_TROUBLE_LOCATION,
        carrierIncident: {
          start: new Date(incident.start).toISOString(),
          end: new Date(incident.end).toISOString(),
          locations: incident.locations,
          carrier: incident.carrier,
        },
        badDevice: planted.badDevice,
        regressedClient: { version: planted.regressedClient, since: new Date(planted.regressionSince).toISOString() },
        ispTrouble: {
          location: planted.ispTrouble.location,
          start: new Date(planted.ispTrouble.start).toISOString(),
          end: new Date(planted.ispTrouble.end).toISOString(),
        },
        slowServer: { server: SLOW_SERVER, since: new Date(planted.slowServer.since).toISOString() },
      },
    }),
  });

  return {
    app,
    fetch: async (request) => app.fetch(request),
    tenants,
    dataset,
    issueTokens,
    get faults() {
      return faults;
    },
    setFaults,
    clearFaults,
    requests,
    clearRequests,
    anchor,
    incident,
    planted,
  };
}
