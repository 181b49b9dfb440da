// How fresh the data behind an answer about "now" is: the DXP's datamart lags behind real
// time. The endpoint is inferred and optional (endpoints.ts datamartStatus): when it does
// not answer, the answer just says nothing about freshness.
import { TIME_PERIODS } from "../client/vocabulary.ts";
import { formatUtc, parseDxpDate } from "../time.ts";
import type { Scope } from "../tool-query/call-scope.ts";

/** When the data was last loaded (ISO), for a window that ends now; undefined when unknown. */
export async function dataAsOf(scope: Scope): Promise<string | undefined> {
  if (!(TIME_PERIODS as readonly string[]).includes(scope.applied.window.label)) return undefined;
  // An enrichment, not the answer: any failure of this inferred endpoint means "not known".
  const status = await scope.client.datamartStatus(scope.call).catch(() => undefined);
  const when = status ? parseDxpDate(status.lastUpdated) : undefined;
  return when && Number.isFinite(when.getTime()) ? when.toISOString() : undefined;
}

/** " · data as of 10:00 UTC" (the date too when it is not the window's last day). */
export function asOfText(asOf: string | undefined, windowTo: string): string {
  if (!asOf) return "";
  const text = formatUtc(new Date(asOf));
  return ` · data as of ${text.slice(0, 10) === formatUtc(new Date(windowTo)).slice(0, 10) ? text.slice(11) : text} UTC`;
}
