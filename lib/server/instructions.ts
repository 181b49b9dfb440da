import { FILTER_KEYS } from "../filter.ts";

/** Said once to the client at initialize, instead of in every tool description. */
export const SERVER_INSTRUCTIONS = [
  "Nectar DXP call-quality data for unified communications (Teams, Zoom, Webex, Cisco, …).",
  "All times are UTC: arguments take LAST_HOUR/LAST_DAY/LAST_WEEK/LAST_MONTH, spans like 24h or 7d, or RFC 3339 with an offset; every answer states the absolute UTC window it used.",
  "Nectar score: higher is better; quality CRITICAL means poor.",
  // The fields from the filter's one list (lib/filter.ts), so this line cannot fall behind it.
  `Session filter: set_session_filter keeps one for this MCP session (its schema lists the accepted values); every session tool applies it and takes the same fields (${FILTER_KEYS.join(", ")}) as one-call overrides; exclude names the fields whose values are left out (locations ["Dallas"], exclude ["locations"]: every site but Dallas). tenant defaults to the configured one.`,
  "Typical path: get_session_summary (what) → get_quality_breakdown (why: by network type, device, client, carrier, user or location) → get_detailed_session_list narrowed to the worst group → get_session_details on one sessionId (proof). get_location_quality_summary and get_session_histogram answer where and when. Answers end with 'Next:' lines naming the call to make.",
  "If a call fails for configuration or auth, call get_connection_status.",
].join("\n");
