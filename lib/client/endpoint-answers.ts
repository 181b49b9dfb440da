// Which answer schema each endpoint of the table answers with: the client parses with it,
// the simulator's /dapi/doc publishes it, doctor checks a live DXP against it.
import { z } from "zod";
import type { EndpointName } from "./endpoints.ts";
import * as schema from "./schemas.ts";

export const ANSWERS = {
  tokenRefresh: schema.tokenRefreshSchema,
  sessionSummary: schema.summarySchema,
  sessionSummaryByQuality: schema.summarySchema,
  sessionInsights: schema.insightsSchema,
  qualityByMedia: schema.qualityMetricsSchema,
  histogram: schema.histogramSchema,
  qualityMap: schema.qualityMapSchema,
  sessions: schema.pagedSchema(schema.sessionSchema),
  session: schema.sessionDetailSchema,
  sessionDiagnostics: schema.diagnosticsSchema,
  sessionRelated: schema.relatedSessionsSchema,
  sessionBreakdown: schema.groupQualityListSchema,
  userSearch: schema.pagedSchema(schema.userSchema),
  user: schema.userSchema,
  userAdvanced: schema.userAdvancedSchema,
  pinnedUsers: schema.pagedSchema(schema.userSchema.partial()),
  userSummaryQuantity: schema.userQuantitySchema,
  userSummaryQuality: schema.userQualitySchema,
  userSummaryServers: schema.groupQualityListSchema,
  userSummaryDevices: schema.groupQualityListSchema,
  userSummaryClientTypes: schema.groupQualityListSchema,
  userSummaryNetworkTypes: schema.groupQualityListSchema,
  locations: schema.pagedSchema(schema.locationListItemSchema),
  tenants: schema.tenantsSchema,
  tenantPlatforms: schema.tenantPlatformsSchema,
  endpointTestCount: schema.testCountSchema,
  endpointTestSummaries: schema.pagedSchema(schema.endpointTestSchema),
  datamartStatus: schema.datamartStatusSchema,
} as const satisfies { [K in Exclude<EndpointName, "apiDoc">]: z.ZodType };

export type AnsweringEndpoint = keyof typeof ANSWERS;

/** JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) of an endpoint's answer, as our lenient schema accepts it. */
export function answerJsonSchema(name: AnsweringEndpoint): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(ANSWERS[name], { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return json;
}
