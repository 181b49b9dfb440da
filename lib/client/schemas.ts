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
});

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
export type Histogram = z.infer<typeof histogramSchema>;
export type QualityMap = z.infer<typeof qualityMapSchema>;
export type DxpSession = z.infer<typeof sessionSchema>;
export type DxpUser = z.infer<typeof userSchema>;
export type DxpLocation = z.infer<typeof locationListItemSchema>;
export type TenantPlatforms = z.infer<typeof tenantPlatformsSchema>;
export type EndpointTest = z.infer<typeof endpointTestSchema>;
export type TokenRefresh = z.infer<typeof tokenRefreshSchema>;
