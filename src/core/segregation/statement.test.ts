// Proves the daily segregation statement lines (CFTC 1.32, 1.22(c)): a hand-computed worked example checked
// line by line to the minor unit, the rule that a customer in deficit never reduces the requirement (in a case
// where netting would give a different figure), each status, and how collectSegments builds segments from
// account snapshots and vaults. Properties of computeSegment over random segments are in statement.prop.test.ts.

import { describe, expect, it } from 'vitest';
import type { Vault } from '../custody/vault.ts';
import type { SegregationClass } from '../ledger/classes.ts';
import type { Account, Owner } from '../ledger/types.ts';
import {
  type CustomerEquityInput,
  collectSegments,
  computeSegment,
  type MarginSource,
  NO_MARGIN,
  type SegmentInput,
  type SegmentSettings,
  segmentKey,
  type VaultHoldingLine,
  vaultIneligibility,
} from './statement.ts';

// USDC has scale 6: amounts below are written `whole_decimals`, so 1_000_000000n is 1,000.000000 USDC.

function customer(
  customerId: string,
  ledgerBalanceMinor: bigint,
  unrealisedPnlMinor = 0n,
  requiredMarginMinor = 0n,
): CustomerEquityInput {
  return { customerId, ledgerBalanceMinor, unrealisedPnlMinor, requiredMarginMinor };
}

function eligibleVault(vaultId: string, balanceMinor: bigint): VaultHoldingLine {
  return { vaultId, balanceMinor, eligible: true, ineligibility: null };
}

function segment(overrides: Partial<SegmentInput>): SegmentInput {
  return {
    asset: 'USDC',
    accountClass: 'derivatives',
    customers: [],
    vaults: [],
    residualInterestLedgerMinor: 0n,
    unresolvedShortfallMinor: 0n,
    targetResidualInterestMinor: 0n,
    ...overrides,
  };
}

function positive(value: bigint): bigint {
  return value > 0n ? value : 0n;
}

describe('computeSegment: worked example (USDC, derivatives)', () => {
  // Customers (USDC):
  //   | customer | ledger    | upnl    | net equity | deficit | required margin | undermargined, less debit added back |
  //   | A        | 1,000.00  |  +50.00 |   1,050.00 |       0 |        1,200.00 | max(0, 1,200 − 1,050) − 0    = 150.00 |
  //   | B        |   300.00  | −500.00 |    −200.00 |  200.00 |           80.00 | max(0, 80 − (−200)) − 200    =  80.00 |
  //   | C        |      0.00 |    0.00 |       0.00 |       0 |          100.00 | max(0, 100 − 0) − 0          = 100.00 |
  //   | total    | 1,300.00  | −450.00 |     850.00 |  200.00 |                 |                                330.00 |
  // Vaults: v-a (eligible) 1,200.00; v-b (custodian has not acknowledged) 40.00.
  // Lines:
  //    1 net ledger balance            1,300.00
  //    2 unrealised PnL                 −450.00
  //    3 net equity        1 + 2          850.00
  //    4 deficits added back              200.00
  //    5 requirement       3 + 4        1,050.00   (= Σ max(0, NLE) = 1,050 + 0 + 0; netting would say 850.00)
  //    6 funds held                     1,200.00   (v-b's 40.00 is not eligible: memo line)
  //    7 unresolved shortfall              25.00
  //    8 funds held net    6 − 7        1,175.00
  //    9 excess            8 − 5          125.00
  //   10 target                           100.00
  //   11 excess over target 9 − 10         25.00   → compliant
  //   12 undermargined                    330.00
  //   13 top-up           max(0, 12 − 9)  205.00
  //   memo: residual interest on books    250.00 (informational; it does not feed any line)
  const input = segment({
    customers: [
      customer('A', 1_000_000000n, 50_000000n, 1_200_000000n),
      customer('B', 300_000000n, -500_000000n, 80_000000n),
      customer('C', 0n, 0n, 100_000000n),
    ],
    vaults: [
      { vaultId: 'v-b', balanceMinor: 40_000000n, eligible: false, ineligibility: 'vault_not_acknowledged' },
      eligibleVault('v-a', 1_200_000000n),
    ],
    residualInterestLedgerMinor: 250_000000n,
    unresolvedShortfallMinor: 25_000000n,
    targetResidualInterestMinor: 100_000000n,
  });

  it('computes every line to the minor unit', () => {
    expect(computeSegment(input)).toEqual({
      asset: 'USDC',
      accountClass: 'derivatives',
      customers: 3,
      customersInDeficit: 1,
      netLedgerBalanceMinor: 1_300_000000n,
      unrealisedPnlMinor: -450_000000n,
      netEquityMinor: 850_000000n,
      deficitsAddedBackMinor: 200_000000n,
      requirementMinor: 1_050_000000n,
      fundsHeldMinor: 1_200_000000n,
      fundsNotEligibleMinor: 40_000000n,
      unresolvedShortfallMinor: 25_000000n,
      fundsHeldNetMinor: 1_175_000000n,
      excessMinor: 125_000000n,
      targetResidualInterestMinor: 100_000000n,
      excessOverTargetMinor: 25_000000n,
      undermarginedMinor: 330_000000n,
      topUpRequiredMinor: 205_000000n,
      residualInterestLedgerMinor: 250_000000n,
      status: 'compliant',
      // Sorted by vault id, whatever order they came in.
      vaults: [
        eligibleVault('v-a', 1_200_000000n),
        {
          vaultId: 'v-b',
          balanceMinor: 40_000000n,
          eligible: false,
          ineligibility: 'vault_not_acknowledged',
        },
      ],
    });
  });

  it('a customer in deficit does not reduce the requirement: Σ max(0, NLE), which netting (Σ NLE) misses', () => {
    const lines = computeSegment(input);
    const nettedRequirement = input.customers.reduce(
      (sum, c) => sum + c.ledgerBalanceMinor + c.unrealisedPnlMinor,
      0n,
    );
    const requirement = input.customers.reduce(
      (sum, c) => sum + positive(c.ledgerBalanceMinor + c.unrealisedPnlMinor),
      0n,
    );
    expect(requirement).toBe(1_050_000000n);
    expect(nettedRequirement).toBe(850_000000n);
    expect(lines.requirementMinor).toBe(requirement);
    expect(lines.requirementMinor).not.toBe(nettedRequirement);
    // B's deficit is the firm's receivable: removing B leaves the requirement exactly where it was.
    const withoutB = computeSegment({
      ...input,
      customers: input.customers.filter((c) => c.customerId !== 'B'),
    });
    expect(withoutB.requirementMinor).toBe(lines.requirementMinor);
  });

  it('an undermargined customer in deficit counts its margin requirement once, not again its added-back debit', () => {
    // B alone: NLE −200.00, required 80.00. max(0, 80 + 200) = 280.00 undermargined, of which 200.00 is the debit
    // already added back into the requirement (CFTC 1.22(c)(2)): 80.00 remains.
    const lines = computeSegment(
      segment({ customers: [customer('B', 300_000000n, -500_000000n, 80_000000n)] }),
    );
    expect(lines.undermarginedMinor).toBe(80_000000n);
    expect(lines.requirementMinor).toBe(0n);
    // No funds: the excess is 0 and the top-up covers the 80.00.
    expect(lines.topUpRequiredMinor).toBe(80_000000n);
  });
});

describe('computeSegment: status', () => {
  const customers = [customer('A', 1_000n)];

  it('is deficient when funds held net fall short of the requirement, and the top-up covers the deficiency', () => {
    const lines = computeSegment(segment({ customers, vaults: [eligibleVault('v', 999n)] }));
    expect(lines.excessMinor).toBe(-1n);
    expect(lines.status).toBe('deficient');
    expect(lines.topUpRequiredMinor).toBe(1n);
  });

  it('counts an unresolved shortfall against funds held, down to a deficiency', () => {
    const lines = computeSegment(
      segment({ customers, vaults: [eligibleVault('v', 1_000n)], unresolvedShortfallMinor: 1n }),
    );
    expect(lines.fundsHeldNetMinor).toBe(999n);
    expect(lines.status).toBe('deficient');
  });

  it('does not count ineligible vaults: their holdings are a memo line only', () => {
    const lines = computeSegment(
      segment({
        customers,
        vaults: [
          eligibleVault('v', 999n),
          { vaultId: 'w', balanceMinor: 10_000n, eligible: false, ineligibility: 'vault_not_customer' },
        ],
      }),
    );
    expect(lines.fundsHeldMinor).toBe(999n);
    expect(lines.fundsNotEligibleMinor).toBe(10_000n);
    expect(lines.status).toBe('deficient');
  });

  it('is below target when 0 ≤ excess < target (an excess of exactly zero included)', () => {
    expect(
      computeSegment(
        segment({ customers, vaults: [eligibleVault('v', 1_000n)], targetResidualInterestMinor: 1n }),
      ).status,
    ).toBe('below_target');
    const lines = computeSegment(
      segment({ customers, vaults: [eligibleVault('v', 1_099n)], targetResidualInterestMinor: 100n }),
    );
    expect(lines.excessOverTargetMinor).toBe(-1n);
    expect(lines.status).toBe('below_target');
  });

  it('is compliant when the excess meets the target exactly, or exceeds it', () => {
    expect(
      computeSegment(
        segment({ customers, vaults: [eligibleVault('v', 1_100n)], targetResidualInterestMinor: 100n }),
      ).status,
    ).toBe('compliant');
    expect(
      computeSegment(
        segment({ customers, vaults: [eligibleVault('v', 5_000n)], targetResidualInterestMinor: 100n }),
      ).status,
    ).toBe('compliant');
    // An empty segment with no target is compliant: nothing is owed and nothing is targeted.
    expect(computeSegment(segment({})).status).toBe('compliant');
  });
});

const ACKNOWLEDGMENT = { acknowledgedAtMs: 1_767_225_600_000, documentReference: 'ack-letter-1' };

function vault(id: string, overrides: Partial<Vault> = {}): Vault {
  return {
    id,
    chainId: 1,
    address: `0x${'1'.repeat(40)}`,
    assets: [
      { asset: 'USDC', token: `0x${'2'.repeat(40)}` },
      { asset: 'BTC', token: `0x${'3'.repeat(40)}` },
    ],
    kind: 'customer_omnibus',
    customerId: null,
    accountClass: 'derivatives',
    temperature: 'cold',
    custodian: 'Example Trust Co.',
    acknowledgment: ACKNOWLEDGMENT,
    ...overrides,
  };
}

const HOUSE: Owner = { type: 'house' };

function account(
  id: string,
  segregationClass: SegregationClass,
  fields: {
    readonly owner?: Owner;
    readonly asset?: string;
    readonly accountClass?: string | null;
    readonly vaultId?: string | null;
    readonly debitsMinor?: bigint;
    readonly creditsMinor?: bigint;
  },
): Account {
  return {
    id,
    owner: fields.owner ?? HOUSE,
    asset: fields.asset ?? 'USDC',
    segregationClass,
    accountClass: fields.accountClass === undefined ? 'derivatives' : fields.accountClass,
    vaultId: fields.vaultId ?? null,
    debitsPostedMinor: fields.debitsMinor ?? 0n,
    creditsPostedMinor: fields.creditsMinor ?? 0n,
    // Pending amounts are not posted: the statement reads posted balances only.
    debitsPendingMinor: 999n,
    creditsPendingMinor: 999n,
  };
}

function collateral(
  id: string,
  customerId: string,
  balanceMinor: bigint,
  asset = 'USDC',
  accountClass = 'derivatives',
) {
  return account(id, 'customer_collateral', {
    owner: { type: 'customer', customerId },
    asset,
    accountClass,
    // Claims are credit-normal: a negative balance is an excess of debits.
    ...(balanceMinor >= 0n
      ? { creditsMinor: balanceMinor + 7n, debitsMinor: 7n }
      : { debitsMinor: -balanceMinor }),
  });
}

function custody(
  id: string,
  vaultId: string,
  balanceMinor: bigint,
  asset = 'USDC',
  accountClass = 'derivatives',
) {
  // Custody is debit-normal: coins held are debits.
  return account(id, 'segregated_custody', {
    asset,
    accountClass,
    vaultId,
    debitsMinor: balanceMinor + 5n,
    creditsMinor: 5n,
  });
}

const NO_SETTINGS: SegmentSettings = { targets: new Map(), shortfalls: new Map(), margin: NO_MARGIN };

function byCustomer(input: SegmentInput): CustomerEquityInput[] {
  return [...input.customers].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
}

describe('collectSegments', () => {
  const vaults = new Map<string, Vault>([
    ['v-deriv', vault('v-deriv')],
    ['v-spot', vault('v-spot', { accountClass: 'spot' })],
    ['v-house', vault('v-house', { kind: 'house', accountClass: null })],
    ['v-unack', vault('v-unack', { acknowledgment: null })],
  ]);

  it("nets a customer's own accounts against each other, never one customer's against another's", () => {
    const [input, ...rest] = collectSegments(
      [
        collateral('a1', 'A', 500n),
        collateral('b1', 'B', -100n),
        collateral('a2', 'A', -200n),
        custody('c1', 'v-deriv', 1_000n),
      ],
      vaults,
      NO_SETTINGS,
    );
    expect(rest).toEqual([]);
    expect(byCustomer(input!)).toEqual([customer('A', 300n), customer('B', -100n)]);
    const lines = computeSegment(input!);
    // A's accounts offset (300, not 500 per account), B's deficit does not offset A (300, not 200).
    expect(lines.requirementMinor).toBe(300n);
    expect(lines.customersInDeficit).toBe(1);
    expect(lines.excessMinor).toBe(700n);
  });

  it('sums custody accounts per vault and marks each vault eligible or not, with the reason', () => {
    const [input] = collectSegments(
      [
        custody('c1', 'v-deriv', 1_000n),
        custody('c2', 'v-deriv', 250n),
        custody('c3', 'v-house', 10n),
        custody('c4', 'v-missing', 20n),
        custody('c5', 'v-unack', 30n),
        custody('c6', 'v-spot', 40n),
      ],
      vaults,
      NO_SETTINGS,
    );
    const lines = [...input!.vaults].sort((a, b) => (a.vaultId < b.vaultId ? -1 : 1));
    expect(lines).toEqual([
      { vaultId: 'v-deriv', balanceMinor: 1_250n, eligible: true, ineligibility: null },
      { vaultId: 'v-house', balanceMinor: 10n, eligible: false, ineligibility: 'vault_not_customer' },
      { vaultId: 'v-missing', balanceMinor: 20n, eligible: false, ineligibility: 'vault_not_registered' },
      // A derivatives custody account recorded in the spot vault: the coins serve another class.
      { vaultId: 'v-spot', balanceMinor: 40n, eligible: false, ineligibility: 'vault_class_mismatch' },
      { vaultId: 'v-unack', balanceMinor: 30n, eligible: false, ineligibility: 'vault_not_acknowledged' },
    ]);
    const statement = computeSegment(input!);
    expect(statement.fundsHeldMinor).toBe(1_250n);
    expect(statement.fundsNotEligibleMinor).toBe(100n);
  });

  it('vaultIneligibility checks registration, kind, acknowledgment and class, in that order', () => {
    expect(vaultIneligibility(undefined, 'derivatives')).toBe('vault_not_registered');
    expect(
      vaultIneligibility(vault('x', { kind: 'insurance_fund', accountClass: null }), 'derivatives'),
    ).toBe('vault_not_customer');
    // A house vault without an acknowledgment and with no class is first of all not a customer vault.
    expect(
      vaultIneligibility(
        vault('x', { kind: 'house', accountClass: null, acknowledgment: null }),
        'derivatives',
      ),
    ).toBe('vault_not_customer');
    expect(
      vaultIneligibility(vault('x', { acknowledgment: null, accountClass: 'spot' }), 'derivatives'),
    ).toBe('vault_not_acknowledged');
    expect(vaultIneligibility(vault('x', { accountClass: 'spot' }), 'derivatives')).toBe(
      'vault_class_mismatch',
    );
    expect(
      vaultIneligibility(vault('x', { kind: 'customer_individual', customerId: 'A' }), 'derivatives'),
    ).toBeNull();
    expect(vaultIneligibility(vault('x'), 'derivatives')).toBeNull();
  });

  it('sums residual-interest accounts (credit-normal) per segment', () => {
    const [input] = collectSegments(
      [
        account('ri1', 'residual_interest', { creditsMinor: 100n, debitsMinor: 30n }),
        account('ri2', 'residual_interest', { creditsMinor: 50n }),
      ],
      vaults,
      NO_SETTINGS,
    );
    expect(input!.residualInterestLedgerMinor).toBe(120n);
  });

  it('keeps one segment per asset and per account class: a surplus in one never covers a deficit in another', () => {
    const inputs = collectSegments(
      [
        collateral('a-ud', 'A', 1_000n, 'USDC', 'derivatives'),
        custody('c-ud', 'v-deriv', 5_000n, 'USDC', 'derivatives'),
        collateral('a-us', 'A', 1_000n, 'USDC', 'spot'),
        custody('c-us', 'v-spot', 400n, 'USDC', 'spot'),
        collateral('a-bd', 'A', 1_000n, 'BTC', 'derivatives'),
        custody('c-bd', 'v-deriv', 900n, 'BTC', 'derivatives'),
        // Accounts outside the customer pools, and pool accounts without a class, build no segment.
        account('h1', 'house_custody', { accountClass: null, debitsMinor: 1_000_000n }),
        account('h2', 'house_equity', { accountClass: null, creditsMinor: 1_000_000n }),
      ],
      vaults,
      NO_SETTINGS,
    );
    const lines = inputs.map(computeSegment);
    expect(lines.map((l) => [l.asset, l.accountClass, l.requirementMinor, l.excessMinor, l.status])).toEqual([
      ['BTC', 'derivatives', 1_000n, -100n, 'deficient'],
      ['USDC', 'derivatives', 1_000n, 4_000n, 'compliant'],
      ['USDC', 'spot', 1_000n, -600n, 'deficient'],
    ]);
    // The same customer in another asset or class is a separate position, not an offset.
    for (const input of inputs) expect(input.customers).toEqual([customer('A', 1_000n)]);
  });

  it('applies targets and shortfalls per segment key, creating segments that have no accounts', () => {
    const inputs = collectSegments(
      [collateral('a1', 'A', 1_000n), custody('c1', 'v-deriv', 1_500n)],
      vaults,
      {
        targets: new Map([
          [segmentKey('USDC', 'derivatives'), 200n],
          [segmentKey('ETH', 'spot'), 50n],
        ]),
        shortfalls: new Map([
          [segmentKey('USDC', 'derivatives'), 300n],
          [segmentKey('BTC', 'spot'), 7n],
        ]),
        margin: NO_MARGIN,
      },
    );
    expect(inputs).toEqual([
      segment({ asset: 'BTC', accountClass: 'spot', unresolvedShortfallMinor: 7n }),
      segment({ asset: 'ETH', accountClass: 'spot', targetResidualInterestMinor: 50n }),
      segment({
        customers: [customer('A', 1_000n)],
        vaults: [{ vaultId: 'v-deriv', balanceMinor: 1_500n, eligible: true, ineligibility: null }],
        unresolvedShortfallMinor: 300n,
        targetResidualInterestMinor: 200n,
      }),
    ]);
    const usdc = computeSegment(inputs[2]!);
    // 1,500 − 300 − 1,000 = 200: exactly at target.
    expect(usdc.excessMinor).toBe(200n);
    expect(usdc.status).toBe('compliant');
    const eth = computeSegment(inputs[1]!);
    expect(eth.status).toBe('below_target');
  });

  it("applies the margin source's figures per customer, asset and class; absent figures are zero", () => {
    const calls: string[] = [];
    const margin: MarginSource = {
      figuresOf(customerId, asset, accountClass) {
        calls.push(`${customerId} ${asset} ${accountClass}`);
        if (customerId === 'A' && asset === 'USDC' && accountClass === 'derivatives') {
          return { unrealisedPnlMinor: -1_300n, requiredMarginMinor: 400n };
        }
        return undefined;
      },
    };
    const inputs = collectSegments(
      [
        collateral('a1', 'A', 1_000n),
        collateral('b1', 'B', 600n),
        collateral('a2', 'A', 1_000n, 'USDC', 'spot'),
        custody('c1', 'v-deriv', 1_600n),
      ],
      vaults,
      { ...NO_SETTINGS, margin },
    );
    expect(calls.sort()).toEqual(['A USDC derivatives', 'A USDC spot', 'B USDC derivatives']);
    const [derivatives, spot] = inputs;
    expect(byCustomer(derivatives!)).toEqual([customer('A', 1_000n, -1_300n, 400n), customer('B', 600n)]);
    expect(spot!.customers).toEqual([customer('A', 1_000n)]);
    const lines = computeSegment(derivatives!);
    // A: NLE −300 (a deficit added back), B: 600. Requirement 600, excess 1,000, undermargined A = 400.
    expect(lines.requirementMinor).toBe(600n);
    expect(lines.deficitsAddedBackMinor).toBe(300n);
    expect(lines.excessMinor).toBe(1_000n);
    expect(lines.undermarginedMinor).toBe(400n);
    expect(lines.topUpRequiredMinor).toBe(0n);
  });
});
