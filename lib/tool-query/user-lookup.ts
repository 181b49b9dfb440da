// How a name the caller wrote finds a DXP user: the keys a user answers to, the exact
// match, and the wider search by first letters when nothing contains the name. The filter
// check (check-names.ts) and get_user_summary both use it, so "is this the user?" has
// one answer.
import type { CallContext, DxpClient } from "../client/client.ts";
import type { DxpUser } from "../client/schemas.ts";
import { fold } from "../closest.ts";

/** What a user answers to: email, display name, id. */
export const userKeys = (u: DxpUser): string[] => [u.email ?? "", u.displayName ?? "", String(u.userId)];

/** A user the name means exactly (case and accents folded), if the search found one. */
export const exactUser = (users: readonly DxpUser[], name: string): DxpUser | undefined =>
  users.find((u) => userKeys(u).some((k) => fold(k) === fold(name)));

/** How a suggested user is named in an error. */
export const userLabel = (u: DxpUser): string => `${u.displayName} (${u.email})`;

/** The DXP's search for the name, one page of `pageSize`. */
export async function searchUsers(
  client: DxpClient,
  name: string,
  pageSize: number,
  call: CallContext,
): Promise<DxpUser[]> {
  return (await client.searchUsers({ search: name, pageSize }, call)).elements;
}

/** Nothing contains the name: users sharing its first three letters, to rank by distance. */
export const widenedUsers = (client: DxpClient, name: string, call: CallContext): Promise<DxpUser[]> =>
  searchUsers(client, fold(name).slice(0, 3), 100, call);
