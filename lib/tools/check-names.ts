// Names in a filter that match nothing are an error with the closest matches, never a
// silent zero: "No location named "Dalas" in tenant acme. Did you mean Dallas?"
import type { CallContext, DxpClient } from "../client/client.ts";
import type { FilterQuery, WindowQuery } from "../client/query.ts";
import { type Dimension, DIMENSION_KEYS, DIMENSIONS, type DimensionKey } from "../client/dimensions.ts";
import { closest, didYouMean, fold } from "../closest.ts";
import { InputError } from "../errors.ts";

/** A phone number or an address outside the tenant: a counterpart the users filter may match. */
const looksLikeAddress = (value: string) => /^\+?[\d\s().-]{6,}$/.test(value) || value.includes("@");

/** At most this many groups are compared with a given name (a tenant with more devices is cut, not slow). */
const MAX_GROUPS = 500;

/** The names a group answers to: its own, and a carrier's trunk id alone ("NLT-2"). */
const groupKeys = (name: string): string[] => [name, ...(/\btrunk\s+(\S+)/i.exec(name)?.slice(1) ?? [])];

const FREE_TEXT = DIMENSION_KEYS.filter((key) => (DIMENSIONS[key] as Dimension).group);

export async function checkNames(client: DxpClient, filter: FilterQuery & { window?: WindowQuery }, call: CallContext & { tenant: string }): Promise<void> {
  // Names left out are checked as names kept are: "all but Dalas" is as wrong as "Dalas".
  const given = (key: DimensionKey) => [...(filter[key] ?? []), ...(filter.not?.[key] ?? [])];
  const query = { locations: given("locations"), users: given("users") };
  // A device, client version, carrier or server the window's breakdown does not name (issue 20, item 2).
  const checkGroups = async (key: DimensionKey): Promise<string[]> => {
    const values = given(key);
    const dimension: Dimension = DIMENSIONS[key];
    if (!values.length || !dimension.group) return [];
    const groups = (await client.sessionBreakdown({ window: filter.window, groupBy: dimension.group }, call)).slice(0, MAX_GROUPS).map((g) => g.name);
    return values
      .filter((value) => !groups.some((g) => fold(g) === fold(value)))
      .map((value) => `No ${dimension.one} "${value}" has sessions in this window in tenant ${call.tenant}.${didYouMean(closest(value, groups, groupKeys))}`);
  };
  // The lookups are independent: sent together, one round trip (issue 20, item 10); problems keep their order.
  const checkLocations = async (): Promise<string[]> => {
    if (!query.locations?.length) return [];
    const { elements } = await client.locations({ pageSize: 1000 }, call);
    return query.locations
      .filter((name) => !elements.some((l) => fold(String(l.id)) === fold(name) || fold(l.name) === fold(name)))
      .map((name) => `No location named "${name}" in tenant ${call.tenant}.${didYouMean(closest(name, elements, (l) => [l.name, l.city ?? ""]).map((l) => l.name))}`);
  };
  // Emails and numbers pass as given (a counterpart outside the tenant is a fair filter); names are checked.
  const checkUser = async (name: string): Promise<string[]> => {
    const found = await client.searchUsers({ search: name, pageSize: 50 }, call);
    const keys = (u: (typeof found.elements)[number]) => [u.email ?? "", u.displayName ?? "", String(u.userId)];
    if (found.elements.some((u) => keys(u).some((k) => fold(k) === fold(name)))) return [];
    // Nothing contains the name: widen to users sharing its first letters, then rank by distance.
    const pool = found.elements.length ? found.elements : (await client.searchUsers({ search: fold(name).slice(0, 3), pageSize: 100 }, call)).elements;
    const near = closest(name, pool, (u) => [u.displayName ?? "", u.email ?? ""]).map((u) => `${u.displayName} (${u.email})`);
    return [`No user is exactly "${name}" in tenant ${call.tenant}.${didYouMean(near)}`];
  };
  // An email passes unless a user of the tenant has its name at another domain (emeka.dias@acme.com for
  // emeka.dias@acme.example): then it is a typo, not a counterpart outside the tenant (issue 20, item 2).
  const checkEmail = async (email: string): Promise<string[]> => {
    // Same name, same organisation (acme.com, acme.example), other domain ending: the same person.
    const parts = (address: string) => {
      const [local = "", domain = ""] = fold(address).split("@");
      return { local, org: domain.split(".")[0] ?? "" };
    };
    const given = parts(email);
    if (!given.local) return [];
    const found = (await client.searchUsers({ search: given.local, pageSize: 20 }, call)).elements;
    if (found.some((u) => fold(u.email ?? "") === fold(email))) return [];
    const near = found
      .filter((u) => parts(u.email ?? "").local === given.local && parts(u.email ?? "").org === given.org)
      .map((u) => `${u.displayName} (${u.email})`);
    return near.length ? [`No user has the email "${email}" in tenant ${call.tenant}.${didYouMean(near)}`] : [];
  };
  const users = query.users ?? [];
  const names = users.filter((u) => !looksLikeAddress(u));
  const emails = users.filter((u) => u.includes("@"));
  const problems = (await Promise.all([checkLocations(), ...names.map(checkUser), ...emails.map(checkEmail), ...FREE_TEXT.map(checkGroups)])).flat();
  if (problems.length) {
    throw new InputError(
      problems.join(" "),
      "Filters take exact names: use one of those suggested (get_locations and get_users list sites and users; get_quality_breakdown names devices, clients, carriers and servers).",
    );
  }
}
