// The claims register of an insolvency: each customer's net equity per estate (one asset in one customer
// account class), netted only within the same customer and estate (11 USC 761(17), 763(c)). A positive
// balance is a claim on the estate; a negative one is the customer's debt to that estate, never a reduction
// of anyone else's claim.

import { compareText } from '../segregation/statement.ts';

/** One asset in one customer account class: a separate customer estate (17 CFR 190.09, CASS 7A pools). */
export interface EstateKey {
  readonly asset: string;
  readonly accountClass: string;
}

/** A piece of one customer's net equity in one estate; pieces of the same customer and estate add up. */
export interface NetEquityEntry {
  readonly customerId: string;
  readonly asset: string;
  readonly accountClass: string;
  /** Ledger balance plus unrealised PnL, in the asset's minor units; negative for a deficit. */
  readonly netEquityMinor: bigint;
}

/** A customer's claim on an estate: positive net equity. */
export interface CustomerClaim {
  readonly customerId: string;
  readonly claimMinor: bigint;
}

/** A customer's debt to an estate: the deficit of a customer whose net equity is negative. */
export interface CustomerDebt {
  readonly customerId: string;
  readonly debtMinor: bigint;
}

/** The claims and debts of one estate, each list sorted by customer id. */
export interface EstateClaims extends EstateKey {
  /** Customers with positive net equity; customers at exactly zero appear nowhere. */
  readonly claims: readonly CustomerClaim[];
  readonly debts: readonly CustomerDebt[];
  readonly totalClaimsMinor: bigint;
  readonly totalDebtsMinor: bigint;
}

/** Every estate's claims and debts, sorted by asset, then account class. */
export interface ClaimsRegister {
  readonly estates: readonly EstateClaims[];
}

/** Orders estates by asset, then account class, in code-unit order (never locale-dependent). */
export function compareEstateKeys(a: EstateKey, b: EstateKey): number {
  return compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass);
}

/** The map key of an estate; NUL cannot occur in asset or class codes, so distinct estates never collide. */
export function estateMapKey(estate: EstateKey): string {
  return `${estate.asset}\u0000${estate.accountClass}`;
}

/**
 * Builds the register: a customer's entries in one estate are summed (their own accounts offset each
 * other), and the sum becomes a claim when positive and a debt when negative. Entries of other estates or
 * other customers never enter the sum (11 USC 763(c): no offset between customers; separate capacities).
 * Sized for millions of entries: each estate's entries are sorted by customer id and summed in runs, with no
 * map keyed by customer.
 */
export function buildClaimsRegister(entries: readonly NetEquityEntry[]): ClaimsRegister {
  const estates = new Map<string, { key: EstateKey; entries: NetEquityEntry[] }>();
  let last: { key: EstateKey; entries: NetEquityEntry[] } | undefined;
  for (const entry of entries) {
    // Entries usually come estate by estate: the key string is built only when the estate changes.
    if (
      last === undefined ||
      last.key.asset !== entry.asset ||
      last.key.accountClass !== entry.accountClass
    ) {
      const mapKey = estateMapKey(entry);
      last = estates.get(mapKey);
      if (last === undefined) {
        last = { key: { asset: entry.asset, accountClass: entry.accountClass }, entries: [] };
        estates.set(mapKey, last);
      }
    }
    last.entries.push(entry);
  }
  const previous: { last: SortedOrder | null } = { last: null };
  return {
    estates: [...estates.values()]
      .sort((a, b) => compareEstateKeys(a.key, b.key))
      .map(({ key, entries: estateEntries }) => {
        const sorted = sortedByCustomer(estateEntries, previous);
        const claims: CustomerClaim[] = [];
        const debts: CustomerDebt[] = [];
        let totalClaims = 0n;
        let totalDebts = 0n;
        let at = 0;
        while (at < sorted.length) {
          const customerId = sorted[at]!.customerId;
          let equity = 0n;
          while (at < sorted.length && sorted[at]!.customerId === customerId) {
            equity += sorted[at]!.netEquityMinor;
            at += 1;
          }
          if (equity > 0n) {
            claims.push({ customerId, claimMinor: equity });
            totalClaims += equity;
          } else if (equity < 0n) {
            debts.push({ customerId, debtMinor: -equity });
            totalDebts -= equity;
          }
        }
        return {
          asset: key.asset,
          accountClass: key.accountClass,
          claims,
          debts,
          totalClaimsMinor: totalClaims,
          totalDebtsMinor: totalDebts,
        };
      }),
  };
}

/** A sort already done: the customer ids in their input order and the order that sorts them. */
interface SortedOrder {
  readonly ids: readonly string[];
  readonly order: readonly number[];
}

/**
 * The entries in customer id order (code units), stably. Skipped when they already are; and the estates of
 * one book usually list the same customers in the same order (one position per customer per estate, in the
 * order of the accounts), so the order found for one estate is reused for the next when the ids match.
 */
function sortedByCustomer(
  entries: NetEquityEntry[],
  previous: { last: SortedOrder | null },
): readonly NetEquityEntry[] {
  let sorted = true;
  for (let at = 1; at < entries.length; at++) {
    if (entries[at - 1]!.customerId > entries[at]!.customerId) {
      sorted = false;
      break;
    }
  }
  if (sorted) return entries;
  const last = previous.last;
  let order: readonly number[] | null = null;
  if (last !== null && last.ids.length === entries.length) {
    order = last.order;
    for (let at = 0; at < entries.length; at++) {
      if (entries[at]!.customerId !== last.ids[at]) {
        order = null;
        break;
      }
    }
  }
  if (order === null) {
    const ids = entries.map((entry) => entry.customerId);
    const indexes = ids.map((_, at) => at);
    // Equal ids keep their input order (a stable sort), as Array.prototype.sort guarantees.
    indexes.sort((a, b) => compareText(ids[a]!, ids[b]!));
    order = indexes;
    previous.last = { ids, order };
  }
  return order.map((at) => entries[at]!);
}
