// MCP Apps (the io.modelcontextprotocol/ui extension) as plain data: the two HTML views
// this server ships, and which tool's result each one shows. lib/server/register.ts turns
// these into `ui://` resources and the tools' `_meta`; nothing here knows the SDK.
//
// The HTML itself is loaded by ./html.ts; the views' own bundles import this file for its constants.

/** The MIME type of an MCP Apps HTML resource (SEP-1865, 2026-01-26). */
export const APP_HTML_MIME_TYPE = "text/html;profile=mcp-app";

/** The tool a view calls (through the host) when a person picks a location on the map. */
export const LOCATION_DRILL_DOWN_TOOL = "get_session_summary";

export interface AppView {
  /** Resource name, and the key of its HTML in the generated module. */
  name: "location_quality_map" | "session_histogram_chart";
  uri: `ui://${string}`;
  title: string;
  description: string;
  /** The tool whose results this view renders. */
  tool: string;
}

export const appViews: readonly AppView[] = [
  {
    name: "location_quality_map",
    uri: "ui://nectar-dxp-mcp/location-quality-map.html",
    title: "Map of call quality by location",
    description:
      "Every location of a get_location_quality_summary answer at its coordinates, coloured by poor share and sized by sessions; picking one shows its session summary.",
    tool: "get_location_quality_summary",
  },
  {
    name: "session_histogram_chart",
    uri: "ui://nectar-dxp-mcp/session-histogram-chart.html",
    title: "Chart of call quality over time",
    description:
      "A get_session_histogram answer as stacked good/average/poor/unknown bars with the average score as a line; switches between hours and days.",
    tool: "get_session_histogram",
  },
];

/** The view linked to a tool, if any. */
export function viewForTool(toolName: string): AppView | undefined {
  return appViews.find((view) => view.tool === toolName);
}

/**
 * A tool's `_meta` linking it to its view: `ui.resourceUri` as the extension specifies, plus
 * the flat `ui/resourceUri` key that hosts built on the pre-2026-01-26 drafts still read
 * (the ext-apps server helper writes both the same way).
 */
export function toolViewMeta(toolName: string): Record<string, unknown> | undefined {
  const view = viewForTool(toolName);
  return view && { ui: { resourceUri: view.uri }, "ui/resourceUri": view.uri };
}
