// The registry: every tool, once. Servers, docs and tests read the tool set from here.

import type { Tool } from "../tool-kit/define.ts";
import configureConnection from "./configure-connection.ts";
import findQualityChanges from "./find-quality-changes.ts";
import getConnectionStatus from "./get-connection-status.ts";
import getDetailedSessionList from "./get-detailed-session-list.ts";
import getEndpointTestCount from "./get-endpoint-test-count.ts";
import getEndpointTestSummaries from "./get-endpoint-test-summaries.ts";
import getLocationQualitySummary from "./get-location-quality-summary.ts";
import getLocations from "./get-locations.ts";
import getQualityBreakdown from "./get-quality-breakdown.ts";
import getSessionDetails from "./get-session-details.ts";
import getSessionHistogram from "./get-session-histogram.ts";
import getSessionSummary from "./get-session-summary.ts";
import getTenantNames from "./get-tenant-names.ts";
import getTenantPlatforms from "./get-tenant-platforms.ts";
import getUserSummary from "./get-user-summary.ts";
import getUsers from "./get-users.ts";
import setSessionFilter from "./set-session-filter.ts";

export const tools = [
  getConnectionStatus,
  configureConnection,
  setSessionFilter,
  getSessionSummary,
  getLocationQualitySummary,
  getSessionHistogram,
  getDetailedSessionList,
  getQualityBreakdown,
  findQualityChanges,
  getSessionDetails,
  getUsers,
  getUserSummary,
  getLocations,
  getTenantNames,
  getTenantPlatforms,
  getEndpointTestCount,
  getEndpointTestSummaries,
] as const;

/** Every tool, typed loosely for code that handles them generically. */
export const allTools: readonly Tool[] = tools as unknown as readonly Tool[];

export type ToolName = (typeof tools)[number]["name"];

export { TOOL_GROUPS } from "../tool-kit/define.ts";

/** The seed's 13 tool names: a contract with users (the rest were added later). */
export const SEED_TOOL_NAMES: readonly ToolName[] = [
  "get_connection_status",
  "configure_connection",
  "set_session_filter",
  "get_session_summary",
  "get_location_quality_summary",
  "get_session_histogram",
  "get_detailed_session_list",
  "get_users",
  "get_locations",
  "get_tenant_names",
  "get_tenant_platforms",
  "get_endpoint_test_count",
  "get_endpoint_test_summaries",
];
