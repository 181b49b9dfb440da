// Names in a filter that match nothing are an error with the closest matches, never a
// silent zero: "No location named "Dalas" in tenant acme. Did you mean Dallas?"
//
// What one check may cost is fixed, whatever the filter names (issue 18, finding 3): exact
// names are looked up in a set; near matches share one WorkBudget for the call and are
// searched for the first SUGGESTED names only; user names cost a search each, so at most
// USER_LOOKUPS of them are checked per call (emails and numbers are never looked up).
import type { CallContext, DxpClient } from "../client/client.ts";
import type { FilterQuery } from "../client/query.ts";
import { closest, didYouMean, fold, WorkBudget } from "../closest.ts";
import { InputError } from "../errors.ts";
import { exactUser, searchUsers, userLabel, widenedUsers } from "./user-lookup.ts";

/** Unknown names that get "did you mean" suggestions; the rest are named without them. */
export const SUGGESTED = 5;
/** User names (not emails or numbers) one call may check against the DXP: one search each, a second for a few suggestions. */
export const USER_LOOKUPS = 10;
/** Unknown user names that get the second, wider search for suggestions. */
const USER_WIDENED = 3;

/** A phone number or an address outside the tenant: a counterpart the users filter may match. */
const looksLikeAddress = (value: string) => /^\+?[\d\s().-]{6,}$/.test(value) || value.includes("@");

export async function checkNames(client: DxpClient, query: FilterQuery, call: CallContext & { tenant: string }): Promise<void> {
  const problems: string[] = [];
  const budget = new WorkBudget();
  let suggested = 0;
  const suggest = <T>(name: string, candidates: readonly T[], keys: (c: T) => readonly string[]): T[] =>
    suggested++ < SUGGESTED ? closest(name, candidates, keys, { budget }) : [];
  const named = (query.users ?? []).filter((u) => !looksLikeAddress(u));
  if (named.length > USER_LOOKUPS) {
    throw new InputError(
      `The filter names ${named.length} users by name; at most ${USER_LOOKUPS} names are checked against the DXP per call (each is a search).`,
      "Name users by email (emails and phone numbers are passed as given, without a search), or split the question into smaller filters.",
    );
  }
  if (query.locations?.length) {
    const { elements } = await client.locations({ pageSize: 1000 }, call);
    const known = new Set(elements.flatMap((l) => [fold(String(l.id)), fold(l.name)]));
    for (const name of query.locations) {
      if (known.has(fold(name))) continue;
      const near = suggest(name, elements, (l) => [l.name, l.city ?? ""]).map((l) => l.name);
      problems.push(`No location named "${name}" in tenant ${call.tenant}.${didYouMean(near)}`);
    }
  }
  // Emails and numbers pass as given (a counterpart outside the tenant is a fair filter); names are checked.
  let widened = 0;
  for (const name of named) {
    const found = await searchUsers(client, name, 50, call);
    if (exactUser(found, name)) continue;
    // Nothing contains the name: widen to users sharing its first letters, then rank by distance.
    const pool = found.length || widened++ >= USER_WIDENED ? found : await widenedUsers(client, name, call);
    const near = suggest(name, pool, (u) => [u.displayName ?? "", u.email ?? ""]).map(userLabel);
    problems.push(`No user is exactly "${name}" in tenant ${call.tenant}.${didYouMean(near)}`);
  }
  if (problems.length) {
    throw new InputError(problems.join(" "), "Filters take exact location names and user emails, names or ids: use one of the names suggested (get_locations and get_users list them).");
  }
}
