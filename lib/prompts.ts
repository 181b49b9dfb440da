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
    description: "Why were calls bad at one site over a period? Walks through summary, time, sessions and endpoint tests.",
    args: { location: z.string().describe("location name, e.g. Dallas"), period },
    text: ({ location, period = "LAST_DAY" }) =>
      [
        `Investigate call quality at ${location} over ${period} (times are UTC).`,
        `1. get_location_quality_summary with timePeriod ${period}: how ${location} compares with other sites.`,
        `2. set_session_filter with locations ["${location}"] and timePeriod ${period}.`,
        "3. get_session_summary: quality split, insights (jitter, packet loss, delay) and per-media metrics.",
        "4. get_session_histogram: when it was worst (an incident window, business hours, one day?).",
        "5. get_detailed_session_list with qualities [CRITICAL]: examples — platforms, session types, scenarios in common.",
        "6. get_endpoint_test_summaries with results [FAIL, WARN]: does the network at the site fail tests too?",
        "Conclude with the likely cause (e.g. Wi-Fi jitter, a carrier's packet loss), the evidence, and what to check next. Clear the filter at the end.",
      ].join("\n"),
  },
  {
    name: "compare_platforms",
    title: "Compare UC platforms",
    description: "How does call quality compare across the tenant's platforms (Teams, Zoom, Webex, …)?",
    args: { period },
    text: ({ period = "LAST_WEEK" }) =>
      [
        `Compare call quality across platforms over ${period} (UTC).`,
        "1. get_tenant_platforms: which platforms are enabled.",
        `2. For each enabled platform, get_session_summary with platforms [that platform] and timePeriod ${period}.`,
        "3. Tabulate sessions, average Nectar score, poor (CRITICAL) share and the main insights per platform.",
        "Say which platform is worst, by how much, and whether its poor sessions concentrate on a site (get_location_quality_summary with that platform).",
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
        `1. get_users with search "${user}": the exact email.`,
        `2. get_detailed_session_list with users [that email], qualities [CRITICAL], timePeriod ${period}.`,
        "3. get_session_summary with the same users filter: insights and metrics.",
        "Summarise when the bad calls happened, on which platform and network (location), and the likely cause.",
      ].join("\n"),
  },
];
