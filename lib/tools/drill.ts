// The drill-down dimensions a breakdown names (network type, device, client version,
// carrier), accepted by the breakdown and the session list to narrow to one group.
import { z } from "zod";
import type { FilterQuery } from "../client/query.ts";
import { NETWORK_TYPES } from "../client/vocabulary.ts";

const groupName = z.string().trim().min(1).max(200).optional();

export const drillShape = {
  networkType: z.enum(NETWORK_TYPES).optional(),
  device: groupName,
  clientVersion: groupName,
  carrier: groupName,
};

type DrillArgs = { networkType?: string; device?: string; clientVersion?: string; carrier?: string };

export function drillQuery(args: DrillArgs): FilterQuery {
  const query: FilterQuery = {};
  if (args.networkType) query.networkTypes = [args.networkType];
  if (args.device) query.devices = [args.device];
  if (args.clientVersion) query.clientVersions = [args.clientVersion];
  if (args.carrier) query.carriers = [args.carrier];
  return query;
}

/** " · networkType WIFI · device Kestrel K5 headset" or "". */
export function drillLine(args: DrillArgs): string {
  const parts = (["networkType", "device", "clientVersion", "carrier"] as const).filter((k) => args[k]).map((k) => `${k} ${args[k]}`);
  return parts.length ? ` · ${parts.join(" · ")}` : "";
}

/** The drill fields echoed in structured answers, as one object (one field in tools/list). */
export const narrowedToSchema = z.record(z.string(), z.string()).optional().describe("networkType, device, clientVersion, carrier");
export const drillEcho = (args: DrillArgs): { narrowedTo?: Record<string, string> } => {
  const given = (["networkType", "device", "clientVersion", "carrier"] as const).filter((k) => args[k]);
  return given.length ? { narrowedTo: Object.fromEntries(given.map((k) => [k, args[k]!])) } : {};
};

/** The drill fields as arguments to repeat: ['device "Kestrel K5 headset"']. */
export const drillArgs = (args: DrillArgs): string[] =>
  (["networkType", "device", "clientVersion", "carrier"] as const).filter((k) => args[k]).map((k) => `${k} "${args[k]}"`);
