// Lenient schemas of the DXP's answers (dxp-api.md, "Endpoints"): unknown fields pass
// through, so a newer DXP does not break us; a missing or mistyped field we rely on is
// an UpstreamError naming that field. The simulator's answers are typed by these too.
import { z } from "zod";

const count = z.number();
const maybeNumber = z.number().nullable().optional();
const maybeString = z.string().nullable().optional();

export const pagedSchema = <T extends z.ZodType>(element: T) =>
  z.looseObject({
    totalPages: count,
    totalElements: count,
    pageNumber: count,
    pageSize: count,
    elements: z.array(element),
  });

export const summarySchema = z.looseObject({
  summary: z.looseObject({
    totalCount: count,
    avgNectarScore: maybeNumber,
    conversationJourneyCount: maybeNumber,
  }),
  groups: z.array(z.looseObject({ group: z.string(), count, percentage: z.number() })),
});

export const insightsSchema = z.array(
  z.looseObject({ insight: z.string(), count, percent: z.number(), totalSessions: count }),
);

export const qualityMetricsSchema = z.array(
  z.looseObject({
    qualityType: z.string().nullable(),
    qualityMetrics: z.array(z.looseObject({ name: z.string(), value: z.number().nullable() })),
  }),
);

export const bucketCountsSchema = z.looseObject({
  good: count,
  average: count,
  poor: count,
  unknown: count,
  all: count,
});

export const histogramSchema = z.array(
  z.looseObject({
    startDate: z.string(),
    endDate: z.string(),
    zoneOffset: maybeString,
    sessions: bucketCountsSchema.extend({ avgNectarScore: maybeNumber }),
  }),
);

export const locationSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  name: z.string(),
  city: maybeString,
  country: maybeString,
  latitude: maybeNumber,
  longitude: maybeNumber,
});

export const qualityMapSchema = z.array(
  z.looseObject({ location: locationSchema, sessions: bucketCountsSchema, avgNectarScore: maybeNumber }),
);

export const sessionSchema = z.looseObject({
  sessionId: z.string(),
  from: maybeString,
  to: maybeString,
  startDate: z.string(),
  duration: maybeNumber,
  modality: maybeString,
  sessionType: maybeString,
  sessionScenario: maybeString,
  nectarScore: maybeNumber,
  platform: maybeString,
  quality: maybeString,
  // Per-session metrics (sent by the list, dxp-api.md "...") and the caller leg's equipment (inferred).
  jitter: maybeNumber,
  packetLoss: maybeNumber,
  roundTripDelay: maybeNumber,
  networkType: maybeString,
  captureDevice: maybeString,
  clientType: maybeString,
  clientVersion: maybeString,
  server: maybeString,
  carrier: maybeString,
});

/** One leg (stream) of a session, as GET /session/{id} lists them (fields inferred). */
export const streamSchema = z.looseObject({
  streamId: maybeString,
  participant: maybeString,
  networkType: maybeString,
  vpn: z.boolean().nullable().optional(),
  subnet: maybeString,
  /** The corporate location whose network the subnet belongs to; null off-site. */
  matchedLocation: maybeString,
  captureDevice: maybeString,
  renderDevice: maybeString,
  clientType: maybeString,
  clientVersion: maybeString,
  server: maybeString,
  carrier: maybeString,
  codec: maybeString,
  jitter: maybeNumber,
  packetLoss: maybeNumber,
  roundTripDelay: maybeNumber,
  mos: maybeNumber,
});

export const sessionDetailSchema = sessionSchema.extend({ streams: z.array(streamSchema).nullable().optional() });

export const diagnosticsSchema = z.looseObject({
  elements: z.array(z.looseObject({ code: z.string(), severity: maybeString, streamId: maybeString, message: maybeString })),
});

export const relatedSessionsSchema = z.looseObject({ elements: z.array(sessionSchema) });

/** One group of a breakdown or of a user's summary: quality counts and metrics (inferred shape). */
export const groupQualitySchema = z.looseObject({
  name: z.string(),
  /** A readable name when `name` is an id or email (users). */
  label: maybeString,
  sessions: z.looseObject({ good: count, average: count, poor: count, unknown: count, all: count }),
  avgNectarScore: maybeNumber,
  avgJitter: maybeNumber,
  avgPacketLoss: maybeNumber,
  avgRoundTripDelay: maybeNumber,
  firstSessionDate: maybeString,
  lastSessionDate: maybeString,
});
export const groupQualityListSchema = z.array(groupQualitySchema);

const nameCount = z.looseObject({ name: z.string(), count });
export const userQuantitySchema = z.looseObject({ totalCount: count, modalities: z.array(nameCount), platforms: z.array(nameCount) });
export const userQualitySchema = z.looseObject({ ...bucketCountsSchema.shape, avgNectarScore: maybeNumber });

export const userSchema = z.looseObject({
  userId: z.union([z.string(), z.number()]),
  displayName: maybeString,
  email: maybeString,
  location: maybeString,
});

export const locationListItemSchema = locationSchema.extend({ networks: z.array(z.string()).nullable().optional() });

export const tenantsSchema = z.array(z.string());

export const tenantPlatformsSchema = z.array(z.looseObject({ platform: z.string(), enabled: z.boolean() }));

export const testCountSchema = z.looseObject({ count });

export const endpointTestSchema = z.looseObject({
  /** The endpoint client's network type (inferred field: WIRED, WIFI, …). */
  network: z.string().nullish(),
  testId: z.union([z.string(), z.number()]),
  endpointName: maybeString,
  userName: maybeString,
  location: maybeString,
  testType: maybeString,
  result: maybeString,
  mos: maybeNumber,
  jitter: maybeNumber,
  packetLoss: maybeNumber,
  rtt: maybeNumber,
  startDate: maybeString,
});

export const tokenRefreshSchema = z.looseObject({
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  expiresIn: z.number().optional(),
});

export type Paged<T> = { totalPages: number; totalElements: number; pageNumber: number; pageSize: number; elements: T[] };
export type Summary = z.infer<typeof summarySchema>;
export type Insights = z.infer<typeof insightsSchema>;
export type QualityMetrics = z.infer<typeof qualityMetricsSchema>;
export type BucketCounts = z.infer<typeof bucketCountsSchema>;
export type Histogram = z.infer<typeof histogramSchema>;
export type QualityMap = z.infer<typeof qualityMapSchema>;
export type DxpSession = z.infer<typeof sessionSchema>;
export type DxpUser = z.infer<typeof userSchema>;
export type DxpLocation = z.infer<typeof locationListItemSchema>;
export type TenantPlatforms = z.infer<typeof tenantPlatformsSchema>;
export type EndpointTest = z.infer<typeof endpointTestSchema>;
export type TokenRefresh = z.infer<typeof tokenRefreshSchema>;
export type Stream = z.infer<typeof streamSchema>;
export type Diagnostics = z.infer<typeof diagnosticsSchema>;
export type GroupQuality = z.infer<typeof groupQualitySchema>;
export type UserQuantity = z.infer<typeof userQuantitySchema>;
export type UserQuality = z.infer<typeof userQualitySchema>;
