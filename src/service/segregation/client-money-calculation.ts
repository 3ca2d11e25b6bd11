// The UK client-money lines of a statement under the `uk_cass` regime. The individual client balance of a
// customer is its net equity in the segment, so the requirement is the statement's requirement (positive
// balances only, debtors excluded) plus the margined transaction requirement (zero until the margin engine
// exists); the resource is the funds held in acknowledged customer vaults net of unresolved shortfalls
// (CASS 7.15.32R), and never below zero. The firm's prudent segregation under the alternative approach is its targeted residual
// interest.

import { assert } from '../../core/assert.ts';
import { positive } from '../../core/ledger/state.ts';
import { reconcileClientMoney } from '../../core/segregation/client-money.ts';
import type { ClientMoneyApproach, ClientMoneyLines } from '../../core/segregation/client-money-lines.ts';
import { type SegmentLines, segmentKey } from '../../core/segregation/statement.ts';

/** Margined transaction requirement: zero until the margin engine exists. */
const MARGINED_TRANSACTION_REQUIREMENT_MINOR = 0n;

export async function clientMoneyLinesOf(input: {
  readonly approach: ClientMoneyApproach;
  /** The statement's segments, at its cut-off (T−1 close). */
  readonly segments: readonly SegmentLines[];
  /** The segments now, before today's transfer (read only under the alternative approach). */
  readonly resourceNow: () => Promise<readonly SegmentLines[]>;
  readonly dueAtMs: number;
}): Promise<ClientMoneyLines[]> {
  const now =
    input.approach === 'alternative'
      ? new Map((await input.resourceNow()).map((s) => [segmentKey(s.asset, s.accountClass), s]))
      : new Map<string, SegmentLines>();
  return input.segments.map((segment) => {
    const requirementMinor = segment.requirementMinor + MARGINED_TRANSACTION_REQUIREMENT_MINOR;
    const common = {
      asset: segment.asset,
      accountClass: segment.accountClass,
      approach: input.approach,
      requirementMinor,
      debtorBalancesExcludedMinor: segment.deficitsAddedBackMinor,
      marginedTransactionRequirementMinor: MARGINED_TRANSACTION_REQUIREMENT_MINOR,
      dueAtMs: input.dueAtMs,
    };
    if (input.approach === 'normal') {
      const result = reconcileClientMoney({
        approach: 'normal',
        requirementMinor,
        resourceMinor: positive(segment.fundsHeldNetMinor),
        dueAtMs: input.dueAtMs,
      });
      assert(result.ok && result.reconciliation.approach === 'normal', 'statement figures are valid inputs');
      const r = result.reconciliation;
      return {
        ...common,
        resourceMinor: r.resourceMinor,
        prudentSegregationMinor: 0n,
        transferMinor: r.transferMinor,
        outcome: r.outcome,
      };
    }
    const current = now.get(segmentKey(segment.asset, segment.accountClass));
    const result = reconcileClientMoney({
      approach: 'alternative',
      requirementMinor,
      resourceBeforeTransferMinor: positive(current?.fundsHeldNetMinor ?? 0n),
      prudentSegregationMinor: segment.targetResidualInterestMinor,
      dueAtMs: input.dueAtMs,
    });
    assert(
      result.ok && result.reconciliation.approach === 'alternative',
      'statement figures are valid inputs',
    );
    const r = result.reconciliation;
    return {
      ...common,
      resourceMinor: r.resourceBeforeTransferMinor,
      prudentSegregationMinor: r.prudentSegregationMinor,
      transferMinor: r.transferMinor,
      outcome: r.transferMinor > 0n ? 'shortfall' : r.transferMinor < 0n ? 'excess' : 'balanced',
    };
  });
}
