// Planted stories that only time tells: each is a change in one group's quality over a few
// hours or days, so a breakdown of the whole window blurs it and a series per group (the
// histogram's `by`, find_quality_changes) shows its start and end. Their draws come from
// their own PRNG stream ("stories"), drawn only for the sessions a story touches: the first
// stream and the equipment stream — and with them every older story — stay as they were.
//   The ISP of one site degrades for four hours on a weekday: every call placed there loses
//   packets and waits on long round trips.
//   One conference relay region slows down from a day on: conferences and webinars through
//   it get very long round trips (the other relay of the region, and calls, are fine).
import { DAY_MS, HOUR_MS, incidentWindow, weekdayOnOrBefore } from "./catalogue.ts";
import { between, type Rng } from "./random.ts";

/** The site whose ISP degrades (every tenant). */
export const ISP_TROUBLE_LOCATION = "loc-new-york";

/** 15:00–19:00 UTC (10:00–14:00 in New York) on the weekday before the carrier incident's day. */
export function ispTroubleWindow(anchor: number): { start: number; end: number } {
  const start = weekdayOnOrBefore(incidentWindow(anchor).start - DAY_MS) + 15 * HOUR_MS;
  return { start, end: start + 4 * HOUR_MS };
}

/** The conference relay that slows down, and from when: 00:00 UTC of the latest weekday three days or more before the anchor, to the end of the data. */
export const SLOW_SERVER = "relay-ap-south-1";
export function slowServerSince(anchor: number): number {
  return weekdayOnOrBefore(anchor - 3 * DAY_MS);
}

export interface StoryWindows {
  isp: { start: number; end: number };
  slowServerSince: number;
}

export const storyWindows = (anchor: number): StoryWindows => ({
  isp: ispTroubleWindow(anchor),
  slowServerSince: slowServerSince(anchor),
});

/** What the stories add to one session's network metrics (zero for most sessions; draws only for the touched ones). */
export function storyEffect(
  rng: Rng,
  s: { locationId: string; startMs: number; server: string; conference: boolean },
  windows: StoryWindows,
): { loss: number; rtt: number; jitter: number } {
  const effect = { loss: 0, rtt: 0, jitter: 0 };
  if (s.locationId === ISP_TROUBLE_LOCATION && s.startMs >= windows.isp.start && s.startMs < windows.isp.end) {
    effect.loss += between(rng, 6, 12);
    effect.rtt += between(rng, 150, 300);
    effect.jitter += between(rng, 10, 25);
  }
  if (s.conference && s.server === SLOW_SERVER && s.startMs >= windows.slowServerSince) {
    effect.rtt += between(rng, 550, 850);
  }
  return effect;
}
