// Properties of computeSegment over random customers and vaults (CFTC 1.32, 1.22(c)): the requirement is
// Σ max(0, ledger + upnl) per customer, so a deficit never reduces it; excess, target, undermargined and top-up
// lines follow their formulas; and the order of customers and vaults does not matter.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomerEquityInput, computeSegment, type VaultHoldingLine } from './statement.ts';

function positive(value: bigint): bigint {
  return value > 0n ? value : 0n;
}

const amount = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
const nonNegative = fc.bigInt({ min: 0n, max: 10n ** 24n });
const customerArb = fc.record({
  customerId: fc.string(),
  ledgerBalanceMinor: amount,
  unrealisedPnlMinor: amount,
  requiredMarginMinor: nonNegative,
});
const vaultsArb = fc
  .uniqueArray(fc.record({ vaultId: fc.string(), balanceMinor: nonNegative, eligible: fc.boolean() }), {
    selector: (v) => v.vaultId,
    maxLength: 8,
  })
  .map((vaults) =>
    vaults.map(
      (v): VaultHoldingLine => ({ ...v, ineligibility: v.eligible ? null : 'vault_not_acknowledged' }),
    ),
  );
const segmentArb = fc.record({
  asset: fc.constant('USDC'),
  accountClass: fc.constant('derivatives'),
  customers: fc.array(customerArb, { maxLength: 20 }),
  vaults: vaultsArb,
  residualInterestLedgerMinor: amount,
  unresolvedShortfallMinor: nonNegative,
  targetResidualInterestMinor: nonNegative,
});

function equityOf(c: CustomerEquityInput): bigint {
  return c.ledgerBalanceMinor + c.unrealisedPnlMinor;
}

describe('computeSegment: properties', () => {
  it('requirement = Σ max(0, ledger + upnl) per customer, and ≥ net equity', () => {
    fc.assert(
      fc.property(segmentArb, (input) => {
        const lines = computeSegment(input);
        expect(lines.requirementMinor).toBe(input.customers.reduce((s, c) => s + positive(equityOf(c)), 0n));
        expect(lines.requirementMinor).toBe(lines.netEquityMinor + lines.deficitsAddedBackMinor);
        expect(lines.requirementMinor >= lines.netEquityMinor).toBe(true);
        expect(lines.customersInDeficit).toBe(input.customers.filter((c) => equityOf(c) < 0n).length);
      }),
    );
  });

  it("a customer's equity made more negative lowers the requirement by at most that customer's own positive equity", () => {
    fc.assert(
      fc.property(segmentArb, fc.nat(), fc.bigInt({ min: 1n, max: 10n ** 24n }), (input, pick, drop) => {
        fc.pre(input.customers.length > 0);
        const index = pick % input.customers.length;
        const before = input.customers[index]!;
        const after = { ...before, unrealisedPnlMinor: before.unrealisedPnlMinor - drop };
        const customers = input.customers.map((c, i) => (i === index ? after : c));
        const was = computeSegment(input).requirementMinor;
        const now = computeSegment({ ...input, customers }).requirementMinor;
        // Only the customer's own claim shrinks, to no less than zero: nobody else's claim is touched.
        expect(was - now).toBe(positive(equityOf(before)) - positive(equityOf(after)));
        // A customer already at or below zero going deeper never decreases the requirement (netting would).
        if (equityOf(before) <= 0n) expect(now).toBe(was);
      }),
    );
  });

  it('adding a customer in deficit never lowers the requirement', () => {
    fc.assert(
      fc.property(segmentArb, fc.bigInt({ min: 1n, max: 10n ** 24n }), amount, (input, deficit, upnl) => {
        const debtor: CustomerEquityInput = {
          customerId: 'debtor',
          ledgerBalanceMinor: -deficit - upnl,
          unrealisedPnlMinor: upnl,
          requiredMarginMinor: 0n,
        };
        const was = computeSegment(input);
        const now = computeSegment({ ...input, customers: [...input.customers, debtor] });
        expect(now.requirementMinor).toBe(was.requirementMinor);
        expect(now.deficitsAddedBackMinor).toBe(was.deficitsAddedBackMinor + deficit);
        expect(now.netEquityMinor).toBe(was.netEquityMinor - deficit);
      }),
    );
  });

  it('excess = funds held − shortfall − requirement; over target = excess − target', () => {
    fc.assert(
      fc.property(segmentArb, (input) => {
        const lines = computeSegment(input);
        const eligible = input.vaults.filter((v) => v.eligible).reduce((s, v) => s + v.balanceMinor, 0n);
        const notEligible = input.vaults.filter((v) => !v.eligible).reduce((s, v) => s + v.balanceMinor, 0n);
        expect(lines.fundsHeldMinor).toBe(eligible);
        expect(lines.fundsNotEligibleMinor).toBe(notEligible);
        expect(lines.excessMinor).toBe(eligible - input.unresolvedShortfallMinor - lines.requirementMinor);
        expect(lines.excessOverTargetMinor).toBe(lines.excessMinor - input.targetResidualInterestMinor);
        expect(lines.status).toBe(
          lines.excessMinor < 0n
            ? 'deficient'
            : lines.excessOverTargetMinor < 0n
              ? 'below_target'
              : 'compliant',
        );
      }),
    );
  });

  it('undermargined_i is max(0, required − NLE) for NLE ≥ 0 and the required margin alone for NLE < 0', () => {
    fc.assert(
      fc.property(segmentArb, (input) => {
        const expected = input.customers.reduce((sum, c) => {
          const equity = equityOf(c);
          return sum + (equity >= 0n ? positive(c.requiredMarginMinor - equity) : c.requiredMarginMinor);
        }, 0n);
        expect(computeSegment(input).undermarginedMinor).toBe(expected);
      }),
    );
  });

  it('top-up = max(0, undermargined − excess): never negative, and always covers a deficiency', () => {
    fc.assert(
      fc.property(segmentArb, (input) => {
        const lines = computeSegment(input);
        expect(lines.topUpRequiredMinor >= 0n).toBe(true);
        expect(lines.topUpRequiredMinor >= -lines.excessMinor).toBe(true);
        expect(lines.topUpRequiredMinor).toBe(positive(lines.undermarginedMinor - lines.excessMinor));
      }),
    );
  });

  it('the order of customers and vaults does not matter', () => {
    fc.assert(
      fc.property(
        segmentArb.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray(input.customers, { minLength: input.customers.length }),
            fc.shuffledSubarray(input.vaults, { minLength: input.vaults.length }),
          ),
        ),
        ([input, customers, vaults]) => {
          expect(computeSegment({ ...input, customers, vaults })).toEqual(computeSegment(input));
        },
      ),
    );
  });
});
