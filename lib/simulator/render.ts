// The JSON the API sends for one session, user, location or endpoint-client test.
import type { DxpLocation, DxpSession, DxpUser, EndpointTest } from "../client/schemas.ts";
import type { CatalogueLocation } from "./catalogue.ts";
import { startMs, type TenantData } from "./data.ts";
import { endpointNetwork, type SimTest } from "./endpoint-tests.ts";
import { carrierName, clientOf, deviceName, networkTypeName } from "./equipment.ts";
import { jitterMs, packetLossPercent, type SimSession, sessionId, sessionTo } from "./sessions.ts";
import type { SimUser } from "./users.ts";

/** The real session list sends UTC dates without the trailing Z (dxp-api.md). */
export const noZone = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export const sessionJson = (data: TenantData, s: SimSession) =>
  ({
    sessionId: sessionId(data, s),
    from: s.user.email,
    to: sessionTo(s),
    startDate: noZone(startMs(s)),
    endDate: noZone(startMs(s) + s.duration * 1000),
    duration: s.duration,
    modality: s.modality,
    sessionType: s.sessionType,
    sessionScenario: s.sessionScenario,
    platform: s.platform,
    nectarScore: s.nectarScore,
    quality: s.quality,
    jitter: jitterMs(s),
    packetLoss: packetLossPercent(s),
    roundTripDelay: s.rtt,
    location: { id: s.user.location.id, name: s.user.location.name },
    locationName: s.user.location.name,
    userId: s.user.userId,
    userName: s.user.displayName,
    contactCenter: s.contactCentre,
    // The caller leg's equipment (inferred fields).
    networkType: networkTypeName(s),
    captureDevice: deviceName(s),
    clientType: clientOf(s).type,
    clientVersion: clientOf(s).version,
    server: s.server,
    carrier: carrierName(s),
  }) satisfies DxpSession;

export const userJson = (u: SimUser) =>
  ({
    userId: u.userId,
    displayName: u.displayName,
    email: u.email,
    location: u.location.name,
    locationId: u.location.id,
    department: u.department,
  }) satisfies DxpUser;

/** A location as the quality map names it. */
export const locationJson = (l: CatalogueLocation) => ({
  id: l.id,
  name: l.name,
  city: l.city,
  country: l.country,
  latitude: l.latitude,
  longitude: l.longitude,
});

/** A location as the location list gives it: the same, with its networks. */
export const locationListJson = (l: CatalogueLocation) =>
  ({ ...locationJson(l), networks: [...l.networks] }) satisfies DxpLocation;

export const testJson = (t: SimTest) =>
  ({
    testId: t.testId,
    endpointName: t.endpointName,
    userName: t.user.displayName,
    location: t.user.location.name,
    network: endpointNetwork(t.endpointName, t.user.location.id),
    testType: t.testType,
    result: t.result,
    mos: t.mos,
    jitter: t.jitter,
    packetLoss: t.packetLoss,
    rtt: t.rtt,
    startDate: new Date(startMs(t)).toISOString(),
  }) satisfies EndpointTest;
