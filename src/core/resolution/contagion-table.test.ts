// Proves the text table of a contagion report: the house-trading-loss example rendered line for line, amounts
// padded to the asset's decimals and aligned, percentages rounded down, and the missing-scale assertion.

import { describe, expect, it } from 'vitest';
import { AssertionError } from '../assert.ts';
import { simulateContagion } from './contagion.ts';
import { percentOf, renderContagionTable } from './contagion-table.ts';

const result = simulateContagion(
  {
    holdings: [
      {
        vaultId: 'derivatives-cold',
        asset: 'USD',
        pool: { type: 'customer', accountClass: 'derivatives' },
        amountMinor: 105000n,
      },
      { vaultId: 'house-hot', asset: 'USD', pool: { type: 'house' }, amountMinor: 50000n },
    ],
    netEquity: [
      { customerId: 'alice', asset: 'USD', accountClass: 'derivatives', netEquityMinor: 60000n },
      { customerId: 'bob', asset: 'USD', accountClass: 'derivatives', netEquityMinor: 40000n },
    ],
    houseCreditors: [{ creditorId: 'lender', asset: 'USD', claimMinor: 200000n }],
  },
  {
    name: 'house trading loss of 500.00 USD',
    events: [{ type: 'house_trading_loss', asset: 'USD', amountMinor: 50000n }],
  },
);

describe('renderContagionTable', () => {
  it('renders each customer, the customers’ total and the house creditors per asset', () => {
    if (!result.ok) throw new Error(result.error.code);
    expect(renderContagionTable(result.report, new Map([['USD', 2]]))).toBe(
      [
        'scenario: house trading loss of 500.00 USD',
        'party                               asset    claim  segregated        %  commingled        %  difference',
        '----------------------------------  -----  -------  ----------  -------  ----------  -------  ----------',
        'alice                               USD     600.00      600.00  100.00%      210.00   35.00%     -390.00',
        'bob                                 USD     400.00      400.00  100.00%      140.00   35.00%     -260.00',
        'all customers                       USD    1000.00     1000.00  100.00%      350.00   35.00%     -650.00',
        'creditor lender                     USD    2000.00       50.00    2.50%      700.00   35.00%      650.00',
        'creditor trading_loss_counterparty  USD     500.00      500.00  100.00%      500.00  100.00%        0.00',
        'all house creditors                 USD    2500.00      550.00   22.00%     1200.00   48.00%      650.00',
        'difference = commingled − segregated; % = recovery / claim, rounded down',
        '',
      ].join('\n'),
    );
  });

  it('asserts that every asset has a scale', () => {
    if (!result.ok) throw new Error(result.error.code);
    expect(() => renderContagionTable(result.report, new Map())).toThrow(AssertionError);
  });
});

describe('percentOf', () => {
  it('rounds down to two decimals and has no percentage without a claim', () => {
    // 2 / 3 = 66.666...% → 66.66%; 1 / 8 = 12.5% → 12.50%.
    expect(percentOf(2n, 3n)).toBe('66.66%');
    expect(percentOf(1n, 8n)).toBe('12.50%');
    expect(percentOf(0n, 5n)).toBe('0.00%');
    expect(percentOf(0n, 0n)).toBe('-');
  });
});
