/** Said once to the client at initialize, instead of in every tool description. */
export const SERVER_INSTRUCTIONS = [
  "Nectar DXP call-quality data for unified communications (Teams, Zoom, Webex, Cisco, …).",
  "All times are UTC: arguments take LAST_HOUR/LAST_DAY/LAST_WEEK/LAST_MONTH, spans like 24h or 7d, or RFC 3339 with an offset; every answer states the absolute UTC window it used.",
  "Nectar score: higher is better; quality CRITICAL means poor.",
  "Typical path: get_session_summary → get_location_quality_summary or get_session_histogram → get_detailed_session_list with a filter.",
  "set_session_filter keeps a filter for this session; session tools apply it and accept per-call overrides.",
  "If a call fails for configuration or auth, call get_connection_status.",
].join("\n");
