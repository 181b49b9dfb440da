// The views' HTML, built from views/ by `npm run build` (scripts/build-views.ts) into a
// generated module. It is imported only when a host first reads a view, so a stdio cold start
// never parses a few hundred kilobytes of HTML it may never serve.
import type { AppView } from "./views.ts";

export async function viewHtml(view: AppView): Promise<string> {
  let built: Record<AppView["name"], string>;
  try {
    // biome-ignore lint/suspicious/noTsIgnore: @ts-expect-error would fail once the build has made the file.
    // @ts-ignore -- generated and gitignored: absent in a fresh checkout until the build runs.
    built = (await import("./generated/views-html.ts")).VIEWS_HTML;
  } catch {
    throw new Error(`The ${view.title} view is not built: run npm run build.`);
  }
  return built[view.name];
}
