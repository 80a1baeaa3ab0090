/**
 * Account ids a user may see; null means every account, an empty list none (a scoped viewer whose
 * accounts were all removed). Never test it for truthiness of its length: `[]` is not "all".
 */
export type AccountScope = readonly string[] | null;

/**
 * A Prisma `where` fragment for any model with an `accountId` column. An empty scope matches
 * nothing: a user with a scope sees only those accounts, never everything by accident.
 */
export function accountIdInScope(scope: AccountScope): { accountId?: { in: string[] } } {
  return scope ? { accountId: { in: [...scope] } } : {};
}
