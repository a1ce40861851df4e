/** Who wrote an entry or cast a vote: the account id when known, and the login shown. */
export interface AccountRef {
  login: string;
  id?: number | undefined;
}

/**
 * Whether two votes come from one GitHub account. Accounts are told apart by their numeric id,
 * which survives a rename (a login can change in seconds, and a renamed account must still be one
 * approver). Entries written before ids were kept have only a login: they match by login, the
 * best they can do, and only while one side lacks an id.
 */
export function sameAccount(a: AccountRef, b: AccountRef): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  return a.login.toLowerCase() === b.login.toLowerCase();
}
