// Prompts for the questions UC engineers ask most. Plain objects: each names the tools
// to use, in order, so a model that picks the prompt knows the path.
import { z } from "zod";

export interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  /** Prompt arguments are strings (MCP); optional ones may be omitted. */
  args: Record<string, z.ZodOptional<z.ZodString> | z.ZodString>;
  text(args: Record<string, string | undefined>): string;
}

const period = z.string().optional().describe("LAST_DAY (default), LAST_WEEK, 7d, 30d …");

export const prompts: readonly PromptDefinition[] = [
  {
    name: "investigate_location_quality",
    title: "Investigate poor call quality at a location",
    description:
      "Why were calls bad at one site? Symptom → when → which network, device, client or carrier → example sessions opened.",
    args: { location: z.string().describe("location name, e.g. Dallas"), period },
    text: ({ location, period = "LAST_WEEK" }) =>
      [
        `Investigate call quality at ${location} over ${period} (times are UTC). Conclude only what a tool answer shows.`,
        `1. Symptom: get_location_quality_summary with timePeriod ${period} and compareWithPreviousPeriod true — how ${location} compares with other sites and whether it got worse.`,
        `2. set_session_filter with locations ["${location}"] and timePeriod ${period}; get_session_summary: quality split and insights (jitter, packet loss, delay).`,
        "3. When: get_session_histogram — an incident window, business hours, or every day since a date?",
        "4. Why: get_quality_breakdown by networkType, then by device, then by clientVersion; for external calls by carrier (sessionScenarios [EXTERNAL]). The cause is the group far worse than its peers with a fair sample; the answer says the minimum it ranked on.",
        "5. Examples: get_detailed_session_list with that group (networkType, device, clientVersion or carrier as the breakdown's Next line says) and qualities [CRITICAL].",
        "6. Proof: get_session_details on one or two sessionIds — which leg carries the trouble, its network and site, device, client, server or carrier, and the diagnostics.",
        "7. get_endpoint_test_summaries with results [FAIL, WARN]: does the site's network fail synthetic tests too?",
        "Report the cause with its evidence (the breakdown's figures and a session's findings), what is fine (e.g. wired calls), and what to check next. Clear the filter at the end.",
      ].join("\n"),
  },
  {
    name: "compare_platforms",
    title: "Compare UC platforms",
    description:
      "How does call quality compare across the tenant's platforms (Teams, Zoom, Webex, …), and why is the worst one worse?",
    args: { period },
    text: ({ period = "LAST_WEEK" }) =>
      [
        `Compare call quality across platforms over ${period} (UTC).`,
        `1. get_quality_breakdown by platform with timePeriod ${period} and compareWithPreviousPeriod true: sessions, poor share, score and the change per platform in one answer.`,
        "2. For the worst platform: get_quality_breakdown by clientVersion and by location with platforms [that platform] — one version or one site?",
        "3. get_detailed_session_list with platforms [that platform], qualities [CRITICAL]; get_session_details on one session for its findings.",
        "Say which platform is worst, by how much, since when, and why.",
      ].join("\n"),
  },
  {
    name: "user_bad_calls",
    title: "A user's recent bad calls",
    description: "Which of one person's recent calls were poor, and why?",
    args: { user: z.string().describe("name or email"), period },
    text: ({ user, period = "LAST_WEEK" }) =>
      [
        `Find ${user}'s poor calls over ${period} (UTC).`,
        `1. get_user_summary with user "${user}" and timePeriod ${period}: which user was chosen (check it is the right person), quality split, and the devices, network types and client types with their poor share.`,
        `2. get_detailed_session_list with users [that email], qualities [CRITICAL], timePeriod ${period} (the users filter matches calls made and received).`,
        "3. get_session_details on one or two of them: the leg with the trouble and the diagnostics.",
        "Summarise when the bad calls happened, on which device, network and client, and the likely cause with its evidence.",
      ].join("\n"),
  },
  {
    name: "user_communication_patterns",
    title: "A user's communication patterns",
    description: "How, with whom and on what does one person communicate, and where does their quality suffer?",
    args: { user: z.string().describe("name, email or id"), period },
    text: ({ user, period = "LAST_MONTH" }) =>
      [
        `Describe ${user}'s communication patterns over ${period} (UTC).`,
        `1. get_user_summary with user "${user}" and timePeriod ${period}: volume by modality and platform, quality, devices, network types, client types, servers and the people they talk to most. Say which user was chosen.`,
        `2. get_session_histogram with users [that email] and timePeriod ${period}: when they communicate (days, hours).`,
        `3. If a device, network or client stands out as poor: get_quality_breakdown by it with users [that email], then get_detailed_session_list with that group and qualities [CRITICAL].`,
        "Summarise their patterns (how much, how, with whom, when) and any quality problem with its cause.",
      ].join("\n"),
  },
];
