// Proves that a resolution reads the books as the segregation statement does: net equity is ledger balance
// plus unrealised PnL per customer and segment, and property is the eligible vault holdings less unresolved
// shortfalls (never below zero), with ineligible holdings, such as a house vault, left out.

import { describe, expect, it } from 'vitest';
import type { SegmentInput } from '../segregation/statement.ts';
import { resolutionInputFromSegments } from './from-segments.ts';

const segment: SegmentInput = {
  asset: 'USD',
  accountClass: 'derivatives',
  customers: [
    {
      customerId: 'alice',
      ledgerBalanceMinor: 100000n,
      unrealisedPnlMinor: -20000n,
      requiredMarginMinor: 0n,
    },
    {
      customerId: 'bob',
      ledgerBalanceMinor: 10000n,
      unrealisedPnlMinor: -30000n,
      requiredMarginMinor: 5000n,
    },
  ],
  vaults: [
    { vaultId: 'cold', balanceMinor: 70000n, eligible: true, ineligibility: null },
    { vaultId: 'hot', balanceMinor: 5000n, eligible: true, ineligibility: null },
    { vaultId: 'house', balanceMinor: 40000n, eligible: false, ineligibility: 'vault_not_customer' },
  ],
  residualInterestLedgerMinor: 0n,
  unresolvedShortfallMinor: 1000n,
  targetResidualInterestMinor: 0n,
};

describe('resolutionInputFromSegments', () => {
  it('takes net equity and the statement’s funds held net of shortfalls', () => {
    const recoveries = [{ customerId: 'bob', asset: 'USD', accountClass: 'derivatives', amountMinor: 100n }];
    expect(resolutionInputFromSegments([segment], recoveries)).toEqual({
      netEquity: [
        { customerId: 'alice', asset: 'USD', accountClass: 'derivatives', netEquityMinor: 80000n },
        { customerId: 'bob', asset: 'USD', accountClass: 'derivatives', netEquityMinor: -20000n },
      ],
      // 700.00 + 50.00 eligible − 10.00 unresolved shortfall; the house vault's 400.00 is not customer property.
      property: [{ asset: 'USD', accountClass: 'derivatives', heldMinor: 74000n }],
      recoveries,
    });
  });

  it('never counts negative property when shortfalls exceed holdings', () => {
    const input = resolutionInputFromSegments([{ ...segment, unresolvedShortfallMinor: 90000n }]);
    expect(input.property).toEqual([{ asset: 'USD', accountClass: 'derivatives', heldMinor: 0n }]);
    expect(input.recoveries).toEqual([]);
  });
});
