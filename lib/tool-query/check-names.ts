// Names in a filter that match nothing are an error with the closest matches, never a
// silent zero: "No location named "Dalas" in tenant acme. Did you mean Dallas?"
// The work is bounded whatever the input: one near-match budget per call, suggestions for
// the first few unknown names only, and a cap on the user searches a call may send.
import type { CallContext, DxpClient } from "../client/client.ts";
import { DIMENSION_KEYS, DIMENSIONS, type Dimension, type DimensionKey } from "../client/dimensions.ts";
import type { FilterQuery, WindowQuery } from "../client/query.ts";
import { closest, didYouMean, fold, WorkBudget } from "../closest.ts";
import { InputError } from "../errors.ts";
import { exactUser, searchUsers, userLabel, widenedUsers } from "./user-lookup.ts";

/** Unknown names that get "did you mean" suggestions; the rest are named without them. */
export const SUGGESTED = 5;
/** User names, and separately emails, one call may check against the DXP: one search each (a few names take a second for suggestions). */
export const USER_LOOKUPS = 10;
/** Unknown user names that get the second, wider search for suggestions. */
const USER_WIDENED = 3;
/** At most this many groups are compared with a given name (a tenant with more devices is cut, not slow). */
const MAX_GROUPS = 500;

/** A phone number or an address outside the tenant: a counterpart the users filter may match. */
const looksLikeAddress = (value: string) => /^\+?[\d\s().-]{6,}$/.test(value) || value.includes("@");

/** The names a group answers to: its own, and a carrier's trunk id alone ("NLT-2"). */
const groupKeys = (name: string): string[] => [name, ...(/\btrunk\s+(\S+)/i.exec(name)?.slice(1) ?? [])];

const FREE_TEXT = DIMENSION_KEYS.filter((key) => (DIMENSIONS[key] as Dimension).group);

export async function checkNames(
  client: DxpClient,
  filter: FilterQuery & { window?: WindowQuery },
  call: CallContext & { tenant: string },
): Promise<void> {
  const budget = new WorkBudget();
  let suggested = 0;
  const suggest = <T>(name: string, candidates: readonly T[], keys: (c: T) => readonly string[]): T[] =>
    suggested++ < SUGGESTED ? closest(name, candidates, keys, { budget }) : [];
  // Names left out are checked as names kept are: "all but Dalas" is as wrong as "Dalas".
  const given = (key: DimensionKey) => [...(filter[key] ?? []), ...(filter.not?.[key] ?? [])];
  const users = given("users");
  const names = users.filter((u) => !looksLikeAddress(u));
  const emails = users.filter((u) => u.includes("@"));
  for (const [list, what] of [
    [names, "by name"],
    [emails, "by email"],
  ] as const) {
    if (list.length > USER_LOOKUPS) {
      throw new InputError(
        `The filter names ${list.length} users ${what}; at most ${USER_LOOKUPS} ${what === "by name" ? "names" : "emails"} are checked against the DXP per call (each is a search).`,
        "Split the question into smaller filters, or save a filter per group of users.",
      );
    }
  }
  // A device, client version, carrier or server the window's breakdown does not name (issue 20, item 2).
  const checkGroups = async (key: DimensionKey): Promise<string[]> => {
    const values = given(key);
    const dimension: Dimension = DIMENSIONS[key];
    if (!values.length || !dimension.group) return [];
    const groups = (await client.sessionBreakdown({ window: filter.window, groupBy: dimension.group }, call))
      .slice(0, MAX_GROUPS)
      .map((g) => g.name);
    return values
      .filter((value) => !groups.some((g) => fold(g) === fold(value)))
      .map(
        (value) =>
          `No ${dimension.one} "${value}" has sessions in this window in tenant ${call.tenant}.${didYouMean(suggest(value, groups, groupKeys))}`,
      );
  };
  // The lookups are independent: sent together, one round trip (issue 20, item 10); problems keep their order.
  const checkLocations = async (): Promise<string[]> => {
    const wanted = given("locations");
    if (!wanted.length) return [];
    const { elements } = await client.locations({ pageSize: 1000 }, call);
    const known = new Set(elements.flatMap((l) => [fold(String(l.id)), fold(l.name)]));
    return wanted
      .filter((name) => !known.has(fold(name)))
      .map(
        (name) =>
          `No location named "${name}" in tenant ${call.tenant}.${didYouMean(suggest(name, elements, (l) => [l.name, l.city ?? ""]).map((l) => l.name))}`,
      );
  };
  // Emails and numbers pass as given (a counterpart outside the tenant is a fair filter); names are checked.
  let widened = 0;
  const checkUser = async (name: string): Promise<string[]> => {
    const found = await searchUsers(client, name, 50, call);
    if (exactUser(found, name)) return [];
    // Nothing contains the name: widen to users sharing its first letters, then rank by distance.
    const pool = found.length || widened++ >= USER_WIDENED ? found : await widenedUsers(client, name, call);
    return [
      `No user is exactly "${name}" in tenant ${call.tenant}.${didYouMean(suggest(name, pool, (u) => [u.displayName ?? "", u.email ?? ""]).map(userLabel))}`,
    ];
  };
  // An email passes unless a user of the tenant has its name at another domain (emeka.dias@acme.com for
  // emeka.dias@acme.example): then it is a typo, not a counterpart outside the tenant (issue 20, item 2).
  const checkEmail = async (email: string): Promise<string[]> => {
    // Same name, same organisation (acme.com, acme.example), other domain ending: the same person.
    const parts = (address: string) => {
      const [local = "", domain = ""] = fold(address).split("@");
      return { local, org: domain.split(".")[0] ?? "" };
    };
    const wanted = parts(email);
    if (!wanted.local) return [];
    const found = await searchUsers(client, wanted.local, 20, call);
    if (found.some((u) => fold(u.email ?? "") === fold(email))) return [];
    const near = found
      .filter((u) => parts(u.email ?? "").local === wanted.local && parts(u.email ?? "").org === wanted.org)
      .map(userLabel);
    return near.length ? [`No user has the email "${email}" in tenant ${call.tenant}.${didYouMean(near)}`] : [];
  };
  const problems = (
    await Promise.all([
      checkLocations(),
      ...names.map(checkUser),
      ...emails.map(checkEmail),
      ...FREE_TEXT.map(checkGroups),
    ])
  ).flat();
  if (problems.length) {
    throw new InputError(
      problems.join(" "),
      "Filters take exact names: use one of those suggested (get_locations and get_users list sites and users; get_quality_breakdown names devices, clients, carriers and servers).",
    );
  }
}
