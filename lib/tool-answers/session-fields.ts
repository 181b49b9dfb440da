// What every tool says about one session, whichever endpoint it came from: the session
// list's rows and get_session_details' header share these fields and this mapping.
import { z } from "zod";
import type { DxpSession } from "../client/schemas.ts";
import { lazySchema } from "../lazy-schema.ts";
import { parseDxpDate, utcSeconds } from "../time.ts";
import { round } from "./render.ts";

export const sessionFieldsShape = lazySchema(() => ({
  sessionId: z.string(),
  startDate: z.string().describe("UTC"),
  durationSeconds: z.number().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  platform: z.string().nullable(),
  modality: z.string().nullable(),
  sessionType: z.string().nullable(),
  sessionScenario: z.string().nullable(),
  quality: z.string().nullable(),
  nectarScore: z.number().nullable(),
}));

/** The shared fields of one DXP session; `scoreDigits` is how precisely the tool shows its score. */
export function sessionFieldsOf(s: DxpSession, scoreDigits: number) {
  return {
    sessionId: s.sessionId,
    startDate: utcSeconds(parseDxpDate(s.startDate)),
    durationSeconds: s.duration ?? null,
    from: s.from ?? null,
    to: s.to ?? null,
    platform: s.platform ?? null,
    modality: s.modality ?? null,
    sessionType: s.sessionType ?? null,
    sessionScenario: s.sessionScenario ?? null,
    quality: s.quality ?? null,
    nectarScore: round(s.nectarScore, scoreDigits),
  };
}

/** The DXP names a session's site in more than one way; take what is there. */
export function locationOf(session: DxpSession): string | null {
  const extra = session as Record<string, unknown>;
  if (typeof extra.locationName === "string") return extra.locationName;
  const location = extra.location as { name?: unknown } | string | undefined;
  if (typeof location === "string") return location;
  return typeof location?.name === "string" ? location.name : null;
}
