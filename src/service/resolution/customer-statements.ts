// Each customer's resolution statement, read off a resolved book: per estate the net equity, the claim, what
// the estate pays, the unpaid part (an unsecured claim against the house estate), and a deficit customer's debt
// with what has been recovered of it. Estates list their claimants and debtors sorted by id, so customers are
// produced in id order by merging those lists, never by building a map of a million customers.

import { assert } from '../../core/assert.ts';
import type { Resolution, UnsecuredClaim } from '../../core/resolution/resolution.ts';
import { compareText } from '../../core/segregation/statement.ts';

/** One customer's position in one estate; a claimant has no debt and a debtor no claim. */
export interface CustomerEstateLine {
  readonly asset: string;
  readonly accountClass: string;
  /** claim − debt: the customer's net equity in the estate at the pinned position. */
  readonly netEquityMinor: bigint;
  readonly claimMinor: bigint;
  readonly payoutMinor: bigint;
  readonly unpaidMinor: bigint;
  readonly debtMinor: bigint;
  readonly recoveredMinor: bigint;
  readonly outstandingMinor: bigint;
}

/** A customer's statement: every estate it has a position in (by asset, then class), unsecured claims per asset. */
export interface CustomerStatement {
  readonly customerId: string;
  readonly estates: readonly CustomerEstateLine[];
  readonly unsecured: readonly { readonly asset: string; readonly amountMinor: bigint }[];
}

/** How many customers and customer × estate lines the resolution holds. */
export interface StatementCounts {
  readonly customers: number;
  readonly lines: number;
}

/** A sorted list being merged: one estate's payouts or debts. */
interface Cursor {
  readonly estate: number;
  readonly ids: readonly { readonly customerId: string }[];
  readonly kind: LineKind;
  at: number;
}

/** Every customer's statement, in customer id order (code units). */
export function customerStatements(resolution: Resolution): Generator<CustomerStatement> {
  return customerStatementsWith(
    resolution,
    (estateIndex, kind, at) => lineOf(resolution, estateIndex, kind, at),
    (claim) => ({ asset: claim.asset, amountMinor: claim.amountMinor }),
  );
}

/** Whether a line comes from an estate's payouts or its debts. */
export type LineKind = 'payout' | 'debt';

/**
 * Every customer's statement in customer id order, each line and unsecured claim built by the callers'
 * functions (the pack formats them as it goes, so a line is built once). A customer is a claimant or a debtor
 * of an estate, never both, so its lines come out in estate order.
 */
export function* customerStatementsWith<Line, Owed>(
  resolution: Resolution,
  makeLine: (estateIndex: number, kind: LineKind, at: number) => Line,
  makeOwed: (claim: UnsecuredClaim) => Owed,
): Generator<{ readonly customerId: string; readonly estates: Line[]; readonly unsecured: Owed[] }> {
  const cursors: Cursor[] = [];
  resolution.estates.forEach((estate, index) => {
    if (estate.payouts.length > 0)
      cursors.push({ estate: index, ids: estate.payouts, kind: 'payout', at: 0 });
    if (estate.debts.length > 0) cursors.push({ estate: index, ids: estate.debts, kind: 'debt', at: 0 });
  });
  const unsecured = resolution.unsecuredClaims;
  let unsecuredAt = 0;
  for (;;) {
    let customerId: string | undefined;
    for (const cursor of cursors) {
      const id = cursor.ids[cursor.at]?.customerId;
      if (id !== undefined && (customerId === undefined || id < customerId)) customerId = id;
    }
    if (customerId === undefined) break;
    const lines: Line[] = [];
    for (const cursor of cursors) {
      if (cursor.ids[cursor.at]?.customerId !== customerId) continue;
      lines.push(makeLine(cursor.estate, cursor.kind, cursor.at));
      cursor.at += 1;
    }
    const owed: Owed[] = [];
    while (unsecured[unsecuredAt] !== undefined && unsecured[unsecuredAt]!.customerId === customerId) {
      owed.push(makeOwed(unsecured[unsecuredAt]!));
      unsecuredAt += 1;
    }
    yield { customerId, estates: lines, unsecured: owed };
  }
  assert(unsecuredAt === unsecured.length, 'every unsecured claim belongs to a claimant');
}

/** The customer's statement, found by binary search in each estate; null when it has no position anywhere. */
export function customerStatementOf(resolution: Resolution, customerId: string): CustomerStatement | null {
  const estates: CustomerEstateLine[] = [];
  resolution.estates.forEach((estate, index) => {
    const payout = findSorted(estate.payouts, customerId);
    if (payout >= 0) estates.push(lineOf(resolution, index, 'payout', payout));
    const debt = findSorted(estate.debts, customerId);
    if (debt >= 0) estates.push(lineOf(resolution, index, 'debt', debt));
  });
  if (estates.length === 0) return null;
  return {
    customerId,
    estates,
    unsecured: resolution.unsecuredClaims
      .filter((claim) => claim.customerId === customerId)
      .map((claim) => ({ asset: claim.asset, amountMinor: claim.amountMinor })),
  };
}

/** The number of customers and of customer × estate lines (a merge of the sorted lists, nothing built). */
export function countStatements(resolution: Resolution): StatementCounts {
  const lists = resolution.estates
    .flatMap((estate) => [estate.payouts, estate.debts])
    .filter((l) => l.length > 0);
  const at = lists.map(() => 0);
  let lines = 0;
  for (const list of lists) lines += list.length;
  let customers = 0;
  for (;;) {
    let customerId: string | undefined;
    for (let index = 0; index < lists.length; index++) {
      const id = lists[index]![at[index]!]?.customerId;
      if (id !== undefined && (customerId === undefined || id < customerId)) customerId = id;
    }
    if (customerId === undefined) break;
    customers += 1;
    for (let index = 0; index < lists.length; index++) {
      if (lists[index]![at[index]!]?.customerId === customerId) at[index] = at[index]! + 1;
    }
  }
  return { customers, lines };
}

/** A line of a customer's statement from one estate's payout or debt at `at`. */
export function lineOf(
  resolution: Resolution,
  estateIndex: number,
  kind: Cursor['kind'],
  at: number,
): CustomerEstateLine {
  const estate = resolution.estates[estateIndex]!;
  if (kind === 'payout') {
    const payout = estate.payouts[at]!;
    return {
      asset: estate.asset,
      accountClass: estate.accountClass,
      netEquityMinor: payout.claimMinor,
      claimMinor: payout.claimMinor,
      payoutMinor: payout.payoutMinor,
      unpaidMinor: payout.unpaidMinor,
      debtMinor: 0n,
      recoveredMinor: 0n,
      outstandingMinor: 0n,
    };
  }
  const debt = estate.debts[at]!;
  return {
    asset: estate.asset,
    accountClass: estate.accountClass,
    netEquityMinor: -debt.debtMinor,
    claimMinor: 0n,
    payoutMinor: 0n,
    unpaidMinor: 0n,
    debtMinor: debt.debtMinor,
    recoveredMinor: debt.recoveredMinor,
    outstandingMinor: debt.outstandingMinor,
  };
}

/** Index of `customerId` in a list sorted by code units, or -1. */
function findSorted(list: readonly { readonly customerId: string }[], customerId: string): number {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareText(list[middle]!.customerId, customerId);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
