// What both views share: connecting to the host with the ext-apps App, following its theme,
// and reading our tools' results (the text a model reads stays the source of the title).
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";

export interface ToolResultLike {
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface ViewHandlers {
  /** The arguments the tool was called with (the view re-asks with them). */
  onInput(args: Record<string, unknown>): void;
  onResult(result: ToolResultLike): void;
}

export function followHostContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
}

/** Connect to the host; handlers are set before connecting so no notification is missed. */
export function connectView(name: string, handlers: ViewHandlers): App {
  const app = new App({ name, version: "1.0.0" });
  app.ontoolinput = (params) => handlers.onInput(params.arguments ?? {});
  app.ontoolresult = (result) => handlers.onResult(result as ToolResultLike);
  app.onhostcontextchanged = () => followHostContext(app.getHostContext());
  app.onerror = (error) => console.error(error);
  void app.connect().then(() => followHostContext(app.getHostContext()));
  return app;
}

/** The text a model reads; its first line names the tenant, window and filter. */
export function textOf(result: ToolResultLike): string {
  return (result.content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("\n");
}

export const firstLine = (result: ToolResultLike): string => textOf(result).split("\n")[0] ?? "";

export const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

/** An HTML element with a class and text. */
export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = "",
  text = "",
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

export const QUALITY_BANDS = ["good", "average", "poor", "unknown"] as const;
export type QualityBand = (typeof QUALITY_BANDS)[number];

/** A legend key: a swatch of a band's colour and its label. */
export function legendKey(band: QualityBand, label: string): HTMLElement {
  const key = html("span", "key");
  const swatch = svg("svg", { width: 12, height: 12, "aria-hidden": "true" });
  swatch.append(svg("rect", { width: 12, height: 12, rx: 2, class: band, "data-swatch": band }));
  key.append(swatch, document.createTextNode(label));
  return key;
}

export const fmt = (value: number | null | undefined, digits = 1): string =>
  value == null ? "n/a" : String(Number(value.toFixed(digits)));
