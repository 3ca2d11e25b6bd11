// Turns the daily statement's segment inputs (collectSegments over frozen account snapshots) into a
// resolution input, so the resolution reads the books exactly as the segregation statement does: a
// customer's net equity is ledger balance plus unrealised PnL, and an estate's property is what the
// statement counts as funds held in segregation, net of unresolved shortfalls.

import { positive } from '../ledger/state.ts';
import type { SegmentInput } from '../segregation/statement.ts';
import type { NetEquityEntry } from './claims.ts';
import type { DebtRecovery, EstateProperty, ResolutionInput } from './resolution.ts';

/**
 * One net-equity entry per customer and segment, and one property entry per segment: the holdings of
 * eligible vaults less unresolved unfavourable breaks (statement line 8), never below zero. Holdings of
 * vaults the statement does not count (unregistered, unacknowledged, house, other class) are left out.
 */
export function resolutionInputFromSegments(
  segments: readonly SegmentInput[],
  recoveries: readonly DebtRecovery[] = [],
): ResolutionInput {
  const netEquity: NetEquityEntry[] = [];
  const property: EstateProperty[] = [];
  for (const segment of segments) {
    for (const customer of segment.customers) {
      netEquity.push({
        customerId: customer.customerId,
        asset: segment.asset,
        accountClass: segment.accountClass,
        netEquityMinor: customer.ledgerBalanceMinor + customer.unrealisedPnlMinor,
      });
    }
    let fundsHeld = 0n;
    for (const vault of segment.vaults) if (vault.eligible) fundsHeld += vault.balanceMinor;
    property.push({
      asset: segment.asset,
      accountClass: segment.accountClass,
      heldMinor: positive(fundsHeld - segment.unresolvedShortfallMinor),
    });
  }
  return { netEquity, property, recoveries };
}
