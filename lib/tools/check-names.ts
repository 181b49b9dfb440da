// Names in a filter that match nothing are an error with the closest matches, never a
// silent zero: "No location named "Dalas" in tenant acme. Did you mean Dallas?"
import type { CallContext, DxpClient } from "../client/client.ts";
import type { FilterQuery } from "../client/query.ts";
import { closest, didYouMean, fold } from "../closest.ts";
import { InputError } from "../errors.ts";

/** A phone number or an address outside the tenant: a counterpart the users filter may match. */
const looksLikeAddress = (value: string) => /^\+?[\d\s().-]{6,}$/.test(value) || value.includes("@");

export async function checkNames(client: DxpClient, query: FilterQuery, call: CallContext & { tenant: string }): Promise<void> {
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
  const problems = (await Promise.all([checkLocations(), ...names.map(checkUser), ...emails.map(checkEmail)])).flat();
  if (problems.length) {
    throw new InputError(problems.join(" "), "Filters take exact location names and user emails, names or ids: use one of the names suggested (get_locations and get_users list them).");
  }
}
