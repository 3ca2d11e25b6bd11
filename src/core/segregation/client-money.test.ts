// Proves the CASS 7 client-money calculation on worked examples built from the rules, checking every
// number: the requirement excludes debtors instead of netting them, the normal approach checks T−1 resource
// against T−1 requirement, the alternative approach computes the transfer to requirement + buffer; and one
// test per way the input can be invalid (`client_money_input_invalid`).

import { describe, expect, it } from 'vitest';
import { parseAmount } from '../money/amount.ts';
import { computeClientMoneyRequirement, reconcileClientMoney } from './client-money.ts';

const DUE_AT_MS = 1_767_286_800_000; // 2026-01-01T17:00:00Z, close of business on the reconciliation day.

/** Pounds and pence as minor units (scale 2); a leading '-' for a debtor; parseAmount refuses zero itself. */
function gbp(text: string): bigint {
  if (/^-?0+(\.0+)?$/.test(text)) return 0n;
  const negative = text.startsWith('-');
  const parsed = parseAmount(negative ? text.slice(1) : text, 2);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return negative ? -parsed.value : parsed.value;
}

describe('computeClientMoneyRequirement', () => {
  const clients = [
    { clientId: 'c1', individualClientBalanceMinor: gbp('500.00') },
    { clientId: 'c2', individualClientBalanceMinor: gbp('250.00') },
    { clientId: 'c3', individualClientBalanceMinor: gbp('-100.00') },
  ];

  it('sums positive balances, excludes the debtor instead of netting it, and adds the MTR', () => {
    const result = computeClientMoneyRequirement(clients, gbp('50.00'));
    expect(result).toEqual({
      ok: true,
      requirement: {
        // 500.00 + 250.00 + 50.00 = 800.00; netting the debtor would give 700.00.
        requirementMinor: gbp('800.00'),
        positiveBalancesMinor: gbp('750.00'),
        debtorBalancesExcludedMinor: gbp('100.00'),
        marginedTransactionRequirementMinor: gbp('50.00'),
        clients: 3,
        debtors: 1,
      },
    });
    expect(result.ok && result.requirement.requirementMinor).not.toBe(gbp('700.00'));
  });

  it('takes any iterable, and is zero for no clients', () => {
    function* generate() {
      yield* clients;
    }
    const fromGenerator = computeClientMoneyRequirement(generate(), 0n);
    expect(fromGenerator.ok && fromGenerator.requirement.requirementMinor).toBe(gbp('750.00'));
    expect(computeClientMoneyRequirement([], 0n)).toEqual({
      ok: true,
      requirement: {
        requirementMinor: 0n,
        positiveBalancesMinor: 0n,
        debtorBalancesExcludedMinor: 0n,
        marginedTransactionRequirementMinor: 0n,
        clients: 0,
        debtors: 0,
      },
    });
  });

  it('client_money_input_invalid: a negative margined transaction requirement', () => {
    expect(computeClientMoneyRequirement(clients, -1n)).toMatchObject({
      ok: false,
      error: {
        code: 'client_money_input_invalid',
        details: { field: 'marginedTransactionRequirementMinor', value: '-1' },
      },
    });
  });

  it('client_money_input_invalid: a client id that is malformed or repeated', () => {
    expect(
      computeClientMoneyRequirement([{ clientId: '', individualClientBalanceMinor: 1n }], 0n),
    ).toMatchObject({
      ok: false,
      error: { code: 'client_money_input_invalid', details: { field: 'clientId', index: 0 } },
    });
    expect(computeClientMoneyRequirement([...clients, clients[0]!], 0n)).toMatchObject({
      ok: false,
      error: {
        code: 'client_money_input_invalid',
        details: { field: 'clientId', index: 3, clientId: 'c1', repeated: true },
      },
    });
  });
});

describe('reconcileClientMoney, normal approach (CASS 7.13.6R)', () => {
  function normal(resource: string) {
    return reconcileClientMoney({
      approach: 'normal',
      requirementMinor: gbp('800.00'),
      resourceMinor: gbp(resource),
      dueAtMs: DUE_AT_MS,
    });
  }

  it('finds a shortfall of 20.00 the firm pays in by close of business', () => {
    expect(normal('780.00')).toEqual({
      ok: true,
      reconciliation: {
        approach: 'normal',
        requirementMinor: gbp('800.00'),
        resourceMinor: gbp('780.00'),
        differenceMinor: gbp('-20.00'),
        outcome: 'shortfall',
        transferMinor: gbp('20.00'),
        dueAtMs: DUE_AT_MS,
      },
    });
  });

  it('finds an excess of 10.00 the firm withdraws', () => {
    expect(normal('810.00')).toMatchObject({
      ok: true,
      reconciliation: { differenceMinor: gbp('10.00'), outcome: 'excess', transferMinor: gbp('-10.00') },
    });
  });

  it('is balanced when resource equals requirement', () => {
    expect(normal('800.00')).toMatchObject({
      ok: true,
      reconciliation: { differenceMinor: 0n, outcome: 'balanced', transferMinor: 0n },
    });
  });
});

describe('reconcileClientMoney, alternative approach (CASS 7.13.54G)', () => {
  function alternative(resourceBefore: string, buffer: string) {
    return reconcileClientMoney({
      approach: 'alternative',
      requirementMinor: gbp('800.00'),
      resourceBeforeTransferMinor: gbp(resourceBefore),
      prudentSegregationMinor: gbp(buffer),
      dueAtMs: DUE_AT_MS,
    });
  }

  it('pays in 65.00 to bring 760.00 up to the requirement 800.00 plus the 25.00 buffer', () => {
    expect(alternative('760.00', '25.00')).toEqual({
      ok: true,
      reconciliation: {
        approach: 'alternative',
        requirementMinor: gbp('800.00'),
        resourceBeforeTransferMinor: gbp('760.00'),
        prudentSegregationMinor: gbp('25.00'),
        targetResourceMinor: gbp('825.00'),
        outcome: 'shortfall',
        transferMinor: gbp('65.00'),
        resourceAfterTransferMinor: gbp('825.00'),
        differenceAfterMinor: gbp('25.00'),
        dueAtMs: DUE_AT_MS,
      },
    });
  });

  it('withdraws what exceeds requirement + buffer, and leaves no excess or shortfall without a buffer', () => {
    expect(alternative('900.00', '25.00')).toMatchObject({
      ok: true,
      reconciliation: {
        outcome: 'excess',
        transferMinor: gbp('-75.00'),
        resourceAfterTransferMinor: gbp('825.00'),
        differenceAfterMinor: gbp('25.00'),
      },
    });
    expect(alternative('800.00', '0')).toMatchObject({
      ok: true,
      reconciliation: { outcome: 'balanced', transferMinor: 0n, differenceAfterMinor: 0n },
    });
  });
});

describe('reconcileClientMoney rejections', () => {
  const base = { requirementMinor: 1n, dueAtMs: DUE_AT_MS };

  it('client_money_input_invalid: a negative requirement, resource or buffer', () => {
    const cases = [
      [{ ...base, approach: 'normal', requirementMinor: -1n, resourceMinor: 0n }, 'requirementMinor'],
      [{ ...base, approach: 'normal', resourceMinor: -1n }, 'resourceMinor'],
      [
        { ...base, approach: 'alternative', resourceBeforeTransferMinor: -1n, prudentSegregationMinor: 0n },
        'resourceBeforeTransferMinor',
      ],
      [
        { ...base, approach: 'alternative', resourceBeforeTransferMinor: 0n, prudentSegregationMinor: -1n },
        'prudentSegregationMinor',
      ],
    ] as const;
    for (const [input, field] of cases) {
      expect(reconcileClientMoney(input), field).toMatchObject({
        ok: false,
        error: { code: 'client_money_input_invalid', details: { field, value: '-1' } },
      });
    }
  });

  it('client_money_input_invalid: a due time that is not a safe integer >= 0', () => {
    for (const dueAtMs of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(
        reconcileClientMoney({ approach: 'normal', requirementMinor: 0n, resourceMinor: 0n, dueAtMs }),
      ).toMatchObject({
        ok: false,
        error: { code: 'client_money_input_invalid', details: { field: 'dueAtMs' } },
      });
    }
  });

  it('client_money_input_invalid: an approach the deployment mistyped', () => {
    const input = { approach: 'standard', requirementMinor: 0n, resourceMinor: 0n, dueAtMs: 0 };
    expect(
      reconcileClientMoney(input as unknown as Parameters<typeof reconcileClientMoney>[0]),
    ).toMatchObject({
      ok: false,
      error: { code: 'client_money_input_invalid', details: { field: 'approach', value: 'standard' } },
    });
  });
});
