// Properties of the client-money calculation over random balances: the requirement exceeds the netted sum
// by exactly the debtors' balances (never less), the normal approach's transfer brings the resource to the
// requirement, and the alternative approach always ends at requirement + buffer.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeClientMoneyRequirement, reconcileClientMoney } from './client-money.ts';

const amount = fc.bigInt({ min: 0n, max: 10n ** 24n });

describe('client money properties', () => {
  it('excludes debtors: requirement = netted sum + debtor balances >= netted sum', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n })), amount, (balances, mtr) => {
        const result = computeClientMoneyRequirement(
          balances.map((individualClientBalanceMinor, index) => ({
            clientId: `c${index}`,
            individualClientBalanceMinor,
          })),
          mtr,
        );
        if (!result.ok) throw new Error(result.error.message);
        const netted = balances.reduce((sum, value) => sum + value, 0n) + mtr;
        const { requirement } = result;
        expect(requirement.requirementMinor).toBe(netted + requirement.debtorBalancesExcludedMinor);
        expect(requirement.requirementMinor >= mtr).toBe(true);
        expect(requirement.debtors).toBe(balances.filter((value) => value < 0n).length);
      }),
    );
  });

  it('ends each approach where the rules say', () => {
    fc.assert(
      fc.property(amount, amount, amount, (requirementMinor, resourceMinor, prudentSegregationMinor) => {
        const normal = reconcileClientMoney({
          approach: 'normal',
          requirementMinor,
          resourceMinor,
          dueAtMs: 0,
        });
        if (!normal.ok || normal.reconciliation.approach !== 'normal') throw new Error('normal failed');
        expect(resourceMinor + normal.reconciliation.transferMinor).toBe(requirementMinor);

        const alternative = reconcileClientMoney({
          approach: 'alternative',
          requirementMinor,
          resourceBeforeTransferMinor: resourceMinor,
          prudentSegregationMinor,
          dueAtMs: 0,
        });
        if (!alternative.ok || alternative.reconciliation.approach !== 'alternative')
          throw new Error('failed');
        expect(alternative.reconciliation.resourceAfterTransferMinor).toBe(
          requirementMinor + prudentSegregationMinor,
        );
        expect(alternative.reconciliation.differenceAfterMinor).toBe(prudentSegregationMinor);
      }),
    );
  });
});
