import { z } from "zod";
import type { CallContext, DxpClient } from "../client/client.ts";
import type { DxpUser, GroupQuality } from "../client/schemas.ts";
import { closest, didYouMean, fold } from "../closest.ts";
import { InputError } from "../errors.ts";
import { filterShape } from "../filter.ts";
import { lazySchema } from "../lazy-schema.ts";
import { hasTime } from "../time.ts";
import { coverageOf } from "../tool-answers/data-extent.ts";
import { num, percentOf, round } from "../tool-answers/render.ts";
import { minSample, worstFirst } from "../tool-answers/sample.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { fetchAll } from "../tool-kit/fetch-all.ts";
import { appliedLine, type Scope, scopeFor, windowSchema } from "../tool-query/call-scope.ts";
import { tenantField } from "../tool-query/tenant.ts";
import { exactUser, searchUsers, userKeys, userLabel, widenedUsers } from "../tool-query/user-lookup.ts";

/** The contacts are counted over at most this many of the user's latest sessions (one page). */
const CONTACT_SAMPLE = 100;

const groupRow = lazySchema(() =>
  z.object({ name: z.string(), sessions: z.number(), poorPercent: z.number(), avgNectarScore: z.number().nullable() }),
);
const countRow = lazySchema(() => z.object({ name: z.string(), count: z.number() }));
const userShape = lazySchema(() =>
  z.object({
    userId: z.string(),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    location: z.string().nullable(),
  }),
);

const userOf = (u: DxpUser) => ({
  userId: String(u.userId),
  displayName: u.displayName ?? null,
  email: u.email ?? null,
  location: u.location ?? null,
});
const groupsOf = (list: readonly GroupQuality[]) =>
  list
    .map((g) => ({
      name: g.name,
      sessions: g.sessions.all,
      poorPercent: percentOf(g.sessions.poor, g.sessions.all),
      avgNectarScore: round(g.avgNectarScore, 1),
    }))
    .sort((a, b) => b.sessions - a.sessions);

export default defineTool({
  name: "get_user_summary",
  title: "A user's communication patterns",
  description:
    "One person's patterns (user: email, name or id; none: the worst user): calls by modality and platform, quality, devices, networks, clients and servers with poor share, top contacts.",
  group: "users",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      user: z.string().trim().min(1).max(200).optional().describe("default: the window's worst user"),
      timePeriod: filterShape().timePeriod.describe("default LAST_MONTH"),
      tenant: tenantField(),
    }),
  outputSchema: () =>
    z.object({
      tenant: z.string(),
      window: windowSchema(),
      user: userShape(),
      otherMatches: z.array(userShape()).describe("other users the search found"),
      sessions: z.number(),
      quality: z.object({
        good: z.number(),
        average: z.number(),
        poor: z.number(),
        unknown: z.number(),
        poorPercent: z.number(),
        avgNectarScore: z.number().nullable(),
      }),
      volume: z.object({ modalities: z.array(countRow()), platforms: z.array(countRow()) }),
      // One field in tools/list for the four: the published schema is shallow.
      groups: z.object({
        devices: z.array(groupRow()),
        networkTypes: z.array(groupRow()),
        clientTypes: z.array(groupRow()),
        servers: z.array(groupRow()),
      }),
      topContacts: z.array(countRow()),
    }),
  async handler(args, context) {
    // The time window only: a saved location or platform filter would hide part of the person's calls.
    // Patterns need more than a day: a month unless a window was given or saved.
    const timed = hasTime(args) || hasTime(context.session.filter) ? args : { ...args, timePeriod: "LAST_MONTH" };
    const scope = await scopeFor(timed, context, []);
    const { client, query, applied, call, tenant } = scope;
    const wanted = args.user ?? (await worstUser(scope));
    const { user, others } = await resolveUser(wanted, scope);
    const id = String(user.userId);
    // The data's extent last (one request, the same round trip): whether the window lies within the retained data.
    const [quantity, quality, servers, devices, clientTypes, networkTypes, recent, coverage] = await fetchAll(context, [
      () => client.userSummaryQuantity(id, query, call),
      () => client.userSummaryQuality(id, query, call),
      () => client.userSummaryGroups("userSummaryServers", id, query, call),
      () => client.userSummaryGroups("userSummaryDevices", id, query, call),
      () => client.userSummaryGroups("userSummaryClientTypes", id, query, call),
      () => client.userSummaryGroups("userSummaryNetworkTypes", id, query, call),
      () => client.sessions({ ...query, users: [user.email ?? id], pageSize: CONTACT_SAMPLE }, call),
      () => coverageOf(scope, context),
    ] as const);
    const me = new Set([user.email, user.displayName, id].filter(Boolean).map((k) => fold(k!)));
    const contacts = new Map<string, number>();
    for (const s of recent.elements) {
      const other = me.has(fold(s.from ?? "")) ? s.to : s.from;
      if (other) contacts.set(other, (contacts.get(other) ?? 0) + 1);
    }
    const topContacts = [...contacts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([name, count]) => ({ name, count }));
    const data = {
      tenant,
      window: applied.window,
      user: userOf(user),
      otherMatches: others.map(userOf),
      sessions: quality.all,
      quality: {
        good: quality.good,
        average: quality.average,
        poor: quality.poor,
        unknown: quality.unknown,
        poorPercent: percentOf(quality.poor, quality.all),
        avgNectarScore: round(quality.avgNectarScore, 1),
      },
      volume: {
        modalities: quantity.modalities.map((m) => ({ name: m.name, count: m.count })),
        platforms: quantity.platforms.map((m) => ({ name: m.name, count: m.count })),
      },
      groups: {
        devices: groupsOf(devices),
        networkTypes: groupsOf(networkTypes),
        clientTypes: groupsOf(clientTypes),
        servers: groupsOf(servers),
      },
      topContacts,
    };
    const counts = (list: { name: string; count: number }[]) =>
      list.map((c) => `${c.name} ${c.count}`).join(" · ") || "none";
    const floor = minSample(data.groups.devices.map((d) => d.sessions));
    const groupLine = (label: string, list: z.infer<ReturnType<typeof groupRow>>[]) =>
      `${label}: ${list.map((g) => `${g.name} ${g.sessions} (${g.poorPercent}% poor${g.sessions < floor ? ", few" : ""})`).join(" · ") || "none"}`;
    const u = data.user;
    const text = [
      `User ${u.displayName ?? "?"} (${u.email ?? u.userId}${u.location ? `, ${u.location}` : ""}), ` +
        (args.user ? `chosen for "${args.user}"` : "chosen as the worst poor share of the window (no user given)") +
        (others.length ? `; also matching: ${others.map((o) => o.email ?? o.displayName).join(", ")}` : "") +
        `. ${appliedLine(applied)}`,
      coverage.window,
      `Sessions ${data.sessions} (made or received) · poor ${data.quality.poorPercent}% (${data.quality.poor}) · avg score ${num(data.quality.avgNectarScore)}`,
      `Modalities: ${counts(data.volume.modalities)}`,
      `Platforms: ${counts(data.volume.platforms)}`,
      groupLine("Devices", data.groups.devices),
      groupLine("Network types", data.groups.networkTypes),
      groupLine("Client types", data.groups.clientTypes),
      groupLine("Servers", data.groups.servers),
      `Talks most with (latest ${recent.elements.length} sessions): ${counts(topContacts)}`,
      data.sessions
        ? `Poor calls: get_detailed_session_list with users ["${u.email ?? u.userId}"] and qualities ["CRITICAL"].`
        : "",
    ]
      .filter(Boolean)
      .join("\n");
    return { data, text };
  },
});

/** No user given: the worst poor share among users with a fair sample (the breakdown's ranking). */
async function worstUser(scope: Scope): Promise<string> {
  const groups = await scope.client.sessionBreakdown({ ...scope.query, groupBy: "USER" }, scope.call);
  const { worst, floor } = worstFirst(
    groups,
    (g) => g.sessions.all,
    (g) => percentOf(g.sessions.poor, g.sessions.all),
  );
  if (!worst)
    throw new InputError(
      `No user has ${floor} or more sessions in ${appliedLine(scope.applied)}.`,
      "Name a user (email, name or id), or use a longer timePeriod.",
    );
  return worst.name;
}

/** The user the name means: an exact email/name/id match, else the closest search result (named in the answer). */
async function resolveUser(name: string, scope: { client: DxpClient; call: CallContext & { tenant: string } }) {
  const { client, call } = scope;
  const found = await searchUsers(client, name, 20, call);
  const exact = exactUser(found, name);
  if (exact) return { user: exact, others: [] as DxpUser[] };
  if (found.length === 1) return { user: found[0]!, others: [] as DxpUser[] };
  if (found.length) {
    // Several people answer to the name: never pick one silently (issue 20, item 2); list them to pick from.
    const ranked = closest(name, found, userKeys, found.length);
    const candidates = [...ranked, ...found.filter((u) => !ranked.includes(u))].slice(0, 5);
    const more = found.length - candidates.length;
    throw new InputError(
      `"${name}" matches ${found.length} users in tenant ${call.tenant}: ${candidates.map((u) => `${u.displayName ?? "?"} (${u.email ?? u.userId})`).join(", ")}${more > 0 ? ` and ${more} more` : ""}.`,
      `Call get_user_summary again with user set to one of these emails${more > 0 ? ", or a fuller name" : ""}.`,
    );
  }
  const near = closest(name, await widenedUsers(client, name, call), userKeys).map(userLabel);
  throw new InputError(
    `No user matches "${name}" in tenant ${call.tenant}.${didYouMean(near)}`,
    "Give an email, a display name or a user id (get_users searches).",
  );
}
