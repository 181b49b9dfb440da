// Lenient schemas of the DXP's answers (dxp-api.md, "Endpoints"): unknown fields pass
// through, so a newer DXP does not break us; a missing or mistyped field we rely on is
// an UpstreamError naming that field. The simulator's answers are typed by these too.
//
// Text is bounded (a hostile or broken DXP could send megabytes in one field): a name or a
// message past MAX_TEXT_CHARS is cut, with "…", and made safe to show (cleanText: control
// characters escaped, bidi controls dropped); a token past MAX_TOKEN_CHARS is refused, so
// it is never stored.
import { z } from "zod";
import { cleanText } from "../security/redact.ts";

/** The longest name, id or message kept from a DXP answer; longer ones are cut to this, "…" included. */
export const MAX_TEXT_CHARS = 1000;
/** The longest token accepted from the refresh endpoint (real JWTs stay under 8 KiB, even with group claims). */
export const MAX_TOKEN_CHARS = 16_384;

/** Upstream text as we keep it: clean, and at most MAX_TEXT_CHARS (idempotent, so a cached answer parses the same again). */
export const boundText = (text: string): string =>
  cleanText(text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS - 1)}…` : text);

const count = z.number();
const text = z.string().transform(boundText);
const maybeNumber = z.number().nullable().optional();
const maybeString = text.nullable().optional();
const token = z
  .string()
  .max(MAX_TOKEN_CHARS, `longer than ${MAX_TOKEN_CHARS} characters, so it is refused and not stored`);

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
  groups: z.array(z.looseObject({ group: text, count, percentage: z.number() })),
});

export const insightsSchema = z.array(
  z.looseObject({ insight: text, count, percent: z.number(), totalSessions: count }),
);

export const qualityMetricsSchema = z.array(
  z.looseObject({
    qualityType: text.nullable(),
    qualityMetrics: z.array(z.looseObject({ name: text, value: z.number().nullable() })),
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
    startDate: text,
    endDate: text,
    zoneOffset: maybeString,
    sessions: bucketCountsSchema.extend({ avgNectarScore: maybeNumber }),
  }),
);

export const locationSchema = z.looseObject({
  id: z.union([text, z.number()]),
  name: text,
  city: maybeString,
  country: maybeString,
  latitude: maybeNumber,
  longitude: maybeNumber,
});

export const qualityMapSchema = z.array(
  z.looseObject({ location: locationSchema, sessions: bucketCountsSchema, avgNectarScore: maybeNumber }),
);

export const sessionSchema = z.looseObject({
  sessionId: text,
  from: maybeString,
  to: maybeString,
  startDate: text,
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
  elements: z.array(z.looseObject({ code: text, severity: maybeString, streamId: maybeString, message: maybeString })),
});

export const relatedSessionsSchema = z.looseObject({ elements: z.array(sessionSchema) });

/** One group of a breakdown or of a user's summary: quality counts and metrics (inferred shape). */
export const groupQualitySchema = z.looseObject({
  name: text,
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

const nameCount = z.looseObject({ name: text, count });
export const userQuantitySchema = z.looseObject({
  totalCount: count,
  modalities: z.array(nameCount),
  platforms: z.array(nameCount),
});
export const userQualitySchema = z.looseObject({ ...bucketCountsSchema.shape, avgNectarScore: maybeNumber });

export const userSchema = z.looseObject({
  userId: z.union([text, z.number()]),
  displayName: maybeString,
  email: maybeString,
  location: maybeString,
});

export const locationListItemSchema = locationSchema.extend({ networks: z.array(text).nullable().optional() });

export const tenantsSchema = z.array(text);

export const tenantPlatformsSchema = z.array(z.looseObject({ platform: text, enabled: z.boolean() }));

export const testCountSchema = z.looseObject({ count });

export const endpointTestSchema = z.looseObject({
  /** The endpoint client's network type (inferred field: WIRED, WIFI, …). */
  network: maybeString,
  testId: z.union([text, z.number()]),
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

/** GET /user/{id}/advanced: a seen path whose fields nobody has published; what we read of it is the user's own. */
export const userAdvancedSchema = userSchema;

/** How fresh the analytics are (inferred): when the datamart was last loaded, and its lag. */
export const datamartStatusSchema = z.looseObject({
  lastUpdated: z.string(),
  lagSeconds: maybeNumber,
  status: maybeString,
});

export const tokenRefreshSchema = z.looseObject({
  accessToken: token,
  refreshToken: token.optional(),
  expiresIn: z.number().optional(),
});

export type Paged<T> = {
  totalPages: number;
  totalElements: number;
  pageNumber: number;
  pageSize: number;
  elements: T[];
};
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
export type DatamartStatus = z.infer<typeof datamartStatusSchema>;
export type TokenRefresh = z.infer<typeof tokenRefreshSchema>;
export type Stream = z.infer<typeof streamSchema>;
export type Diagnostics = z.infer<typeof diagnosticsSchema>;
export type GroupQuality = z.infer<typeof groupQualitySchema>;
export type UserQuantity = z.infer<typeof userQuantitySchema>;
export type UserQuality = z.infer<typeof userQualitySchema>;
